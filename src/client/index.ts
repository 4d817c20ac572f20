// PLACEHOLDER: replaced by the Payi REST client.
export class Payi {}
