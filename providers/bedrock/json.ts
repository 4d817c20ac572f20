/**
 * The JSON the Bedrock adapter logs: the SDK's inputs, outputs and stream events, with binary
 * values (images, documents, redacted reasoning, invoke bodies) as base64.
 */

type Obj = Record<string, unknown>;

const base64Binary = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

/** True when `value` holds a `Uint8Array` (or is nested deeper than a JSON document of the SDK would be). */
function hasBinary(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (value instanceof Uint8Array || depth > 64) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (hasBinary(v, depth + 1)) return true;
    return false;
  }
  for (const k in value) if (hasBinary((value as Obj)[k], depth + 1)) return true;
  return false;
}

/**
 * The JSON of `value`, binary values as base64 so it can be logged. The replacer that does it is
 * used only when there is binary: with one, `JSON.stringify` calls back into JavaScript for every
 * value (a 44-event Converse stream cost 36 µs per call on Node 22 that way).
 *
 * @example
 * ```ts
 * jsonOf({ image: { bytes: new Uint8Array([1, 2]) } }); // '{"image":{"bytes":"AQI="}}'
 * ```
 */
export function jsonOf(value: unknown): string {
  return hasBinary(value) ? JSON.stringify(value, base64Binary) : JSON.stringify(value);
}

/**
 * The JSON array of items already serialised one by one (`[a,b,...]`), the same text as
 * {@link jsonOf} of the array of the items.
 *
 * @example
 * ```ts
 * jsonArray(['{"a":1}', '{"b":2}']); // '[{"a":1},{"b":2}]'
 * ```
 */
export function jsonArray(items: readonly string[]): string {
  return `[${items.join(',')}]`;
}
