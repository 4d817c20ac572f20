import type { Frame } from '../context/types';
import { ATTRIBUTION_FIELDS, fieldOf, type AttributionField } from '../wire/fields';
import { decodeHeader, encodeHeader, stringifyProperties } from '../wire/encode';

/** The attribution of one provider call: the frame with the call's own `xProxy-*` headers applied. */
export interface Attribution {
  limitIds?: string[];
  requestTags?: string[];
  useCaseName?: string;
  useCaseId?: string;
  useCaseVersion?: number;
  useCaseStep?: string;
  useCaseProperties?: Record<string, string | null>;
  userId?: string;
  accountName?: string;
  requestProperties?: Record<string, string | null>;
  priceAsCategory?: string;
  priceAsResource?: string;
  resourceScope?: string;
  /** Whether prompt and response may be logged for this call (frame and `xProxy-Logging-Disable`). */
  logPromptAndResponse: boolean;
}

/** The result of {@link resolveAttribution}. */
export interface ResolvedCall {
  attribution: Attribution;
  /** The caller's per-call headers that are not Pay-i's (lower-cased names). */
  otherHeaders: Record<string, string>;
  /** True when the caller gave any `xProxy-*` header on the call. */
  hadPayiHeaders: boolean;
}

/** A header bag as the provider SDKs accept it. */
export type HeaderInput = Headers | Readonly<Record<string, string | null | undefined | readonly string[]>> | readonly (readonly [string, string])[] | undefined | null;

/**
 * Flattens any header input into lower-cased name → value (last value wins; `null` kept as null).
 *
 * @example
 * ```ts
 * headerEntries({ 'xProxy-User-ID': 'u1' }).get('xproxy-user-id'); // 'u1'
 * ```
 */
export function headerEntries(input: HeaderInput | unknown): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (!input) return out;
  if (typeof Headers !== 'undefined' && input instanceof Headers) {
    input.forEach((v, k) => out.set(k.toLowerCase(), v));
    return out;
  }
  if (Array.isArray(input)) {
    for (const pair of input) if (Array.isArray(pair) && pair.length >= 2) out.set(String(pair[0]).toLowerCase(), String(pair[1]));
    return out;
  }
  if (typeof input === 'object') {
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
      if (v === undefined) continue;
      out.set(k.toLowerCase(), v === null ? null : Array.isArray(v) ? v.join(', ') : String(v));
    }
  }
  return out;
}

const lc = (name: string): string => name.toLowerCase();
const PAYI_PREFIX = 'xproxy-';
const FIELDS = ATTRIBUTION_FIELDS as readonly AttributionField[];
const USE_CASE_GROUP = FIELDS.filter((f) => f.merge === 'useCase');
const NAME = fieldOf('useCaseName')!;
const LOGGING = fieldOf('logPromptAndResponse')!;

type Values = Record<string, unknown>;

/** The fields a frame gives a call directly: lists, innermost-wins values and property bags. */
const FRAME_FIELDS = FIELDS.filter((f) => f.merge === 'union' || f.merge === 'innermost' || f.merge === 'properties');

/** A field's value as the frame gives it to a call (lists copied, property bags stringified, `''` absent). */
function frameValue(f: Values, field: AttributionField): unknown {
  const v = f[field.option];
  if (field.kind === 'list') return Array.isArray(v) && v.length > 0 ? [...v] : undefined;
  if (field.kind === 'properties') return v && typeof v === 'object' && Object.keys(v).length > 0 ? stringifyProperties(v as Values) : undefined;
  return v === '' ? undefined : v;
}

/** {@link resolveAttribution} of a call without per-call headers (most calls): the frame's values alone. */
function fromFrameAlone(frame: Frame, processLogging: boolean): ResolvedCall {
  const f = frame as Values;
  const a: Attribution = { logPromptAndResponse: processLogging && frame.logPromptAndResponse !== false };
  const out = a as unknown as Values;
  for (const field of FRAME_FIELDS) {
    const v = frameValue(f, field);
    if (v !== undefined) out[field.option] = v;
  }
  if (frame.useCaseName) {
    a.useCaseName = frame.useCaseName;
    for (const field of USE_CASE_GROUP) {
      const v = frameValue(f, field);
      if (v !== undefined) out[field.option] = v;
    }
  }
  return { attribution: a, otherHeaders: {}, hadPayiHeaders: false };
}

/**
 * Applies a call's per-call headers to the frame (contract §3): a header given on the call always
 * beats the frame for that field, with no merging; an empty value clears the field. A
 * `xProxy-UseCase-Name` header replaces the whole use-case group (id, version and step then come only
 * from headers). `logPromptAndResponse` is the process switch and the frame's value, and false
 * whenever `xProxy-Logging-Disable` is present (with any value but `null`). A properties header that
 * is neither base64 JSON nor raw JSON still replaces the frame's properties (the caller meant to
 * replace them), so the call has none of that kind; it never throws.
 *
 * @example
 * ```ts
 * resolveAttribution({ userId: 'frame' }, { 'xProxy-User-ID': 'header' }).attribution.userId // 'header'
 * ```
 */
export function resolveAttribution(frame: Frame, callHeaders: HeaderInput | unknown, processLogging = true): ResolvedCall {
  // most calls carry no per-call headers: the frame's values alone, nothing looked up
  if (callHeaders === undefined || callHeaders === null) return fromFrameAlone(frame, processLogging);
  const headers = headerEntries(callHeaders);
  if (headers.size === 0) return fromFrameAlone(frame, processLogging);
  const f = frame as Values;
  const has = (field: AttributionField): boolean => field.header !== undefined && headers.has(lc(field.header));
  const raw = (field: AttributionField): string => (field.header ? headers.get(lc(field.header)) ?? '' : '');
  /** The call's header when given (an empty one clears), else the frame's value. */
  const pick = (field: AttributionField, frameValue: unknown): unknown => (has(field) ? decodeHeader(field, raw(field)) : frameValue);

  const loggingDisabled = headers.get(lc(LOGGING.header!)) !== undefined && headers.get(lc(LOGGING.header!)) !== null;
  const a: Attribution = { logPromptAndResponse: processLogging && frame.logPromptAndResponse !== false && !loggingDisabled };
  const out = a as unknown as Values;

  for (const field of FRAME_FIELDS) {
    const v = pick(field, frameValue(f, field));
    if (v !== undefined) out[field.option] = v;
  }

  // The use-case group: a xProxy-UseCase-Name header replaces the whole group (its other fields then
  // come only from headers); else the frame's use case, each field overridable by its header.
  const groupFrom = (name: string, frameValues: boolean): void => {
    a.useCaseName = name;
    for (const field of USE_CASE_GROUP) {
      const v = frameValues ? pick(field, frameValue(f, field)) : has(field) ? decodeHeader(field, raw(field)) : undefined;
      if (v !== undefined) out[field.option] = v;
    }
  };
  if (has(NAME)) {
    const name = raw(NAME);
    if (name) groupFrom(name, false);
  } else if (frame.useCaseName) {
    groupFrom(frame.useCaseName, true);
  }

  const otherHeaders: Record<string, string> = {};
  let hadPayiHeaders = false;
  for (const [k, v] of headers) {
    if (k.startsWith(PAYI_PREFIX)) hadPayiHeaders = true;
    else if (v !== null) otherHeaders[k] = v;
  }
  return { attribution: a, otherHeaders, hadPayiHeaders };
}

/**
 * The `xProxy-*` headers of proxy mode for an attribution (contract §5): comma-joined lists,
 * decimal version, base64 of compact JSON for the two properties headers,
 * `xProxy-Logging-Disable: True` when logging is off; empty values are never sent.
 *
 * @example
 * ```ts
 * toProxyHeaders({ limitIds: ['a', 'b'], logPromptAndResponse: true }); // { 'xProxy-Limit-IDs': 'a,b' }
 * ```
 */
export function toProxyHeaders(a: Attribution): Record<string, string> {
  const out: Record<string, string> = {};
  const values = a as unknown as Values;
  for (const field of FIELDS) {
    if (!field.header) continue;
    const v = encodeHeader(field, values[field.option]);
    if (v !== undefined) out[field.header] = v;
  }
  return out;
}

/**
 * True for a header name of Pay-i's (`xProxy-*`, any case).
 *
 * @example
 * ```ts
 * isPayiHeader('XPROXY-User-ID'); // true
 * ```
 */
export function isPayiHeader(name: string): boolean {
  return name.toLowerCase().startsWith(PAYI_PREFIX);
}
