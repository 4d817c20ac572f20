// PLACEHOLDER: replaced by the decorators implementation.
export const Track = (..._a: unknown[]): never => { throw new Error('not implemented'); };
export const Ingest = Track;
export const Proxy = Track;
export const PayiProxy = Track;
export const getTrackMetadata = (..._a: unknown[]): undefined => undefined;
