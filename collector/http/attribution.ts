import type { IncomingHttpHeaders } from 'node:http';
import type { PayiEvent } from 'payi-instrument';
import { HttpError } from './errors';

/** Attribution read from `xProxy-*` request headers (lower-cased by Node). */
export interface HeaderAttribution {
  fields: Partial<PayiEvent>;
  /** `xProxy-Logging-Disable` was given. */
  loggingDisabled: boolean;
  priceAsCategory?: string;
  priceAsResource?: string;
  providerBaseUri?: string;
}

const one = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

const list = (v: string): string[] => [...new Set(v.split(',').map((s) => s.trim()).filter((s) => s !== ''))];

function properties(header: string, value: string): Record<string, string | null> {
  const text = value.startsWith('{') ? value : Buffer.from(value, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid_header', `header ${header} "${value.slice(0, 80)}" is not base64 of a JSON object`);
  }
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k] = v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/**
 * Reads the `xProxy-*` attribution headers of an ingest or proxied request (contract §5 names
 * and encodings). Throws {@link HttpError} 400 naming the header for a bad value.
 *
 * @example
 * ```ts
 * attributionFromHeaders({ 'xproxy-limit-ids': 'a,b', 'xproxy-user-id': 'u1' }).fields; // { limit_ids: ['a','b'], user_id: 'u1' }
 * ```
 */
export function attributionFromHeaders(h: IncomingHttpHeaders): HeaderAttribution {
  const f: Partial<PayiEvent> = {};
  const limits = one(h, 'xproxy-limit-ids');
  if (limits) f.limit_ids = list(limits);
  const tags = one(h, 'xproxy-request-tags');
  if (tags) f.request_tags = list(tags);
  const text: [string, keyof PayiEvent][] = [
    ['xproxy-usecase-name', 'use_case_name'],
    ['xproxy-usecase-id', 'use_case_id'],
    ['xproxy-usecase-step', 'use_case_step'],
    ['xproxy-user-id', 'user_id'],
    ['xproxy-account-name', 'account_name'],
    ['xproxy-resource-scope', 'resource_scope'],
  ];
  for (const [header, field] of text) {
    const v = one(h, header);
    if (v !== undefined) (f as Record<string, unknown>)[field] = v;
  }
  const version = one(h, 'xproxy-usecase-version');
  if (version !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(version)) throw new HttpError(400, 'invalid_header', `header xProxy-UseCase-Version "${version}" is not a positive whole number`);
    f.use_case_version = Number(version);
  }
  const rp = one(h, 'xproxy-request-properties');
  if (rp) f.properties = properties('xProxy-Request-Properties', rp);
  const up = one(h, 'xproxy-usecase-properties');
  if (up) f.use_case_properties = properties('xProxy-UseCase-Properties', up);
  const out: HeaderAttribution = { fields: f, loggingDisabled: one(h, 'xproxy-logging-disable') !== undefined };
  const pc = one(h, 'xproxy-priceas-category');
  if (pc) out.priceAsCategory = pc;
  const pr = one(h, 'xproxy-priceas-resource');
  if (pr) out.priceAsResource = pr;
  const base = one(h, 'xproxy-provider-baseuri');
  if (base) out.providerBaseUri = base;
  return out;
}
