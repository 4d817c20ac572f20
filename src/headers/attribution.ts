import type { Frame } from '../context/types';
import { decodePropertiesHeader, encodePropertiesHeader, stringifyProperties } from './encode';
import { PayiHeaderNames as H } from './names';

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
const list = (v: string): string[] => [...new Set(v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
/** A `xProxy-UseCase-Version` value: decimal digits only (`"3"`), else `undefined` (`"3abc"`, `""`). */
const version = (v: string): number | undefined => {
  const t = v.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
};

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
  const headers = headerEntries(callHeaders);
  // most calls carry no per-call headers: then no name is lower-cased or looked up
  const none = headers.size === 0;
  const has = (name: string): boolean => !none && headers.has(lc(name));
  const get = (name: string): string => (none ? '' : headers.get(lc(name)) ?? '');
  const pick = (name: string, fromFrame: string | undefined): string | undefined => (has(name) ? get(name) || undefined : fromFrame);

  const loggingDisabled = has(H.loggingDisable) && headers.get(lc(H.loggingDisable)) !== null;
  const a: Attribution = { logPromptAndResponse: processLogging && frame.logPromptAndResponse !== false && !loggingDisabled };

  const limitIds = has(H.limitIds) ? list(get(H.limitIds)) : frame.limitIds ? [...frame.limitIds] : [];
  if (limitIds.length > 0) a.limitIds = limitIds;
  const tags = has(H.requestTags) ? list(get(H.requestTags)) : frame.requestTags ? [...frame.requestTags] : [];
  if (tags.length > 0) a.requestTags = tags;

  const set = <K extends 'userId' | 'accountName' | 'priceAsCategory' | 'priceAsResource' | 'resourceScope'>(key: K, header: string): void => {
    const v = pick(header, frame[key]);
    if (v !== undefined) a[key] = v;
  };
  set('userId', H.userId);
  set('accountName', H.accountName);
  set('priceAsCategory', H.priceAsCategory);
  set('priceAsResource', H.priceAsResource);
  set('resourceScope', H.resourceScope);

  const props = readProps(has(H.requestProperties), get(H.requestProperties), frame.requestProperties);
  if (props) a.requestProperties = props;

  if (has(H.useCaseName)) {
    const name = get(H.useCaseName);
    if (name) {
      a.useCaseName = name;
      if (get(H.useCaseId)) a.useCaseId = get(H.useCaseId);
      if (get(H.useCaseStep)) a.useCaseStep = get(H.useCaseStep);
      const v = version(get(H.useCaseVersion));
      if (v !== undefined) a.useCaseVersion = v;
      const ucp = readProps(has(H.useCaseProperties), get(H.useCaseProperties), undefined);
      if (ucp) a.useCaseProperties = ucp;
    }
  } else if (frame.useCaseName) {
    a.useCaseName = frame.useCaseName;
    const id = pick(H.useCaseId, frame.useCaseId);
    if (id) a.useCaseId = id;
    const step = pick(H.useCaseStep, frame.useCaseStep);
    if (step) a.useCaseStep = step;
    const v = has(H.useCaseVersion) ? version(get(H.useCaseVersion)) : frame.useCaseVersion;
    if (v !== undefined) a.useCaseVersion = v;
    const ucp = readProps(has(H.useCaseProperties), get(H.useCaseProperties), frame.useCaseProperties);
    if (ucp) a.useCaseProperties = ucp;
  }

  const otherHeaders: Record<string, string> = {};
  let hadPayiHeaders = false;
  for (const [k, v] of headers) {
    if (k.startsWith(PAYI_PREFIX)) hadPayiHeaders = true;
    else if (v !== null) otherHeaders[k] = v;
  }
  return { attribution: a, otherHeaders, hadPayiHeaders };
}

function readProps(
  present: boolean,
  header: string,
  fromFrame: Readonly<Record<string, unknown>> | undefined,
): Record<string, string | null> | undefined {
  if (present) {
    if (!header) return undefined;
    const parsed = decodePropertiesHeader(header);
    return parsed && Object.keys(parsed).length > 0 ? parsed : undefined;
  }
  return fromFrame && Object.keys(fromFrame).length > 0 ? stringifyProperties(fromFrame) : undefined;
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
  if (a.limitIds?.length) out[H.limitIds] = a.limitIds.join(',');
  if (a.requestTags?.length) out[H.requestTags] = a.requestTags.join(',');
  if (a.useCaseName) out[H.useCaseName] = a.useCaseName;
  if (a.useCaseId) out[H.useCaseId] = a.useCaseId;
  if (a.useCaseVersion !== undefined) out[H.useCaseVersion] = String(a.useCaseVersion);
  if (a.useCaseStep) out[H.useCaseStep] = a.useCaseStep;
  if (a.useCaseProperties && Object.keys(a.useCaseProperties).length) out[H.useCaseProperties] = encodePropertiesHeader(a.useCaseProperties);
  if (a.userId) out[H.userId] = a.userId;
  if (a.accountName) out[H.accountName] = a.accountName;
  if (a.requestProperties && Object.keys(a.requestProperties).length) out[H.requestProperties] = encodePropertiesHeader(a.requestProperties);
  if (a.priceAsCategory) out[H.priceAsCategory] = a.priceAsCategory;
  if (a.priceAsResource) out[H.priceAsResource] = a.priceAsResource;
  if (a.resourceScope) out[H.resourceScope] = a.resourceScope;
  if (!a.logPromptAndResponse) out[H.loggingDisable] = 'True';
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
