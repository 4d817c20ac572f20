import type { Properties } from '../context/types';

/**
 * Properties as compact UTF-8 JSON, base64-encoded: the wire form of the two properties headers.
 *
 * @example
 * ```ts
 * encodePropertiesHeader({ a: '1' }); // 'eyJhIjoiMSJ9'
 * ```
 */
export function encodePropertiesHeader(props: Properties): string {
  return Buffer.from(JSON.stringify(props), 'utf8').toString('base64');
}

/**
 * Reads a properties header given on a call: base64 of JSON (what `createHeaders` writes) or raw
 * JSON (what older SDKs wrote). Returns `undefined` when it is neither.
 *
 * @example
 * ```ts
 * decodePropertiesHeader('eyJhIjoiMSJ9'); // { a: '1' }
 * ```
 */
export function decodePropertiesHeader(value: string): Record<string, string | null> | undefined {
  const text = value.trim().startsWith('{') ? value : Buffer.from(value, 'base64').toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return stringifyProperties(parsed as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/**
 * Property values as the service stores them: strings, `null` kept.
 *
 * @example
 * ```ts
 * stringifyProperties({ n: 1, ok: true, none: null }); // { n: '1', ok: 'true', none: null }
 * ```
 */
export function stringifyProperties(props: Readonly<Record<string, unknown>>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(props)) out[k] = v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
