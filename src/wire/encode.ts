/**
 * Header value encodings of the attribution table ({@link HeaderEncoding}), written and read the
 * same way by the SDK and the collector. Uses only web-standard globals (`btoa`, `atob`,
 * `TextEncoder`, `TextDecoder`), so it runs wherever the table is read.
 */
import type { AttributionField } from './fields';

/** A bag of properties as the service stores them: strings, `null` kept. */
export type WireProperties = Record<string, string | null>;

/**
 * Property values as the service stores them: strings, `null` kept.
 *
 * @example
 * ```ts
 * stringifyProperties({ n: 1, ok: true, none: null }); // { n: '1', ok: 'true', none: null }
 * ```
 */
export function stringifyProperties(props: Readonly<Record<string, unknown>>): WireProperties {
  const out: WireProperties = {};
  for (const [k, v] of Object.entries(props)) out[k] = v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

function toBase64(text: string): string {
  let bin = '';
  for (const byte of new TextEncoder().encode(text)) bin += String.fromCharCode(byte);
  return btoa(bin);
}

function fromBase64(b64: string): string {
  const bin = atob(b64.trim());
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * Properties as compact UTF-8 JSON, base64-encoded: the wire form of the two properties headers.
 *
 * @example
 * ```ts
 * encodePropertiesHeader({ a: '1' }); // 'eyJhIjoiMSJ9'
 * ```
 */
export function encodePropertiesHeader(props: Readonly<Record<string, unknown>>): string {
  return toBase64(JSON.stringify(props));
}

/**
 * Reads a properties header: base64 of JSON (what this SDK and Pay-i's Python SDK write) or raw
 * JSON (what older SDKs wrote). Returns `undefined` when it is neither.
 *
 * @example
 * ```ts
 * decodePropertiesHeader('eyJhIjoiMSJ9'); // { a: '1' }
 * ```
 */
export function decodePropertiesHeader(value: string): WireProperties | undefined {
  try {
    const text = value.trim().startsWith('{') ? value : fromBase64(value);
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return stringifyProperties(parsed as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/**
 * A list header's entries: split on `,`, trimmed, empties dropped, de-duplicated in order.
 *
 * @example
 * ```ts
 * decodeListHeader(' a, b,,a'); // ['a', 'b']
 * ```
 */
export function decodeListHeader(value: string): string[] {
  return [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
}

/**
 * An integer header (`xProxy-UseCase-Version`): decimal digits only (`"3"`), else `undefined`.
 *
 * @example
 * ```ts
 * decodeIntegerHeader('3'); // 3
 * decodeIntegerHeader('3abc'); // undefined
 * ```
 */
export function decodeIntegerHeader(value: string): number | undefined {
  const t = value.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The header value of one field's value, or `undefined` when nothing is sent (empty values, a
 * `flag` that is not `false`).
 *
 * @example
 * ```ts
 * encodeHeader(fieldOf('limitIds')!, ['a', 'b']); // 'a,b'
 * ```
 */
export function encodeHeader(field: Pick<AttributionField, 'encoding'>, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (field.encoding) {
    case 'list':
      return Array.isArray(value) && value.length > 0 ? value.join(',') : undefined;
    case 'integer':
      return typeof value === 'number' ? String(value) : undefined;
    case 'properties':
      return typeof value === 'object' && Object.keys(value).length > 0 ? encodePropertiesHeader(value as Record<string, unknown>) : undefined;
    case 'flag':
      return value === false ? 'True' : undefined;
    default:
      return typeof value === 'string' && value !== '' ? value : undefined;
  }
}

/**
 * One field's value read from its header (the inverse of {@link encodeHeader}); `undefined` for an
 * empty or unreadable value. A `flag` header reads as `false` whenever it is present.
 *
 * @example
 * ```ts
 * decodeHeader(fieldOf('useCaseVersion')!, '2'); // 2
 * ```
 */
export function decodeHeader(field: Pick<AttributionField, 'encoding'>, value: string | null | undefined): unknown {
  if (value === undefined || value === null) return undefined;
  switch (field.encoding) {
    case 'list': {
      const list = decodeListHeader(value);
      return list.length > 0 ? list : undefined;
    }
    case 'integer':
      return decodeIntegerHeader(value);
    case 'properties': {
      if (value.trim() === '') return undefined;
      const p = decodePropertiesHeader(value);
      return p && Object.keys(p).length > 0 ? p : undefined;
    }
    case 'flag':
      return false;
    default:
      return value === '' ? undefined : value;
  }
}
