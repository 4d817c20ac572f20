import type { IncomingHttpHeaders } from 'node:http';
import type { PayiEvent } from 'payi-instrument';
import { ATTRIBUTION_FIELDS, type AttributionField, decodeHeader, decodePropertiesHeader, OTHER_HEADERS } from 'payi-instrument/internal';
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
  const v = h[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

/** What a header value that does not decode was expected to be, per encoding. */
const EXPECTED = { integer: 'is not a positive whole number', properties: 'is not base64 of a JSON object' } as const;
const INT32_MAX = 2_147_483_647;

/**
 * `xProxy-Instrumented-Module` (`<module>/<version>`, e.g. `openai/1.99.0`), which Pay-i's Python
 * SDK sends on every ingest: stored with the event, `undefined` when absent.
 */
export function instrumentedModule(h: IncomingHttpHeaders): string | undefined {
  return one(h, OTHER_HEADERS.instrumentedModule)?.slice(0, 256);
}

/**
 * Reads the `xProxy-*` attribution headers of an ingest or proxied request by iterating the SDK's
 * attribution table (`src/wire/fields.ts`: header names, encodings, event field names), so the
 * collector reads exactly what the SDK writes. Throws {@link HttpError} 400 naming the header for a
 * value that does not decode.
 *
 * @example
 * ```ts
 * attributionFromHeaders({ 'xproxy-limit-ids': 'a,b', 'xproxy-user-id': 'u1' }).fields; // { limit_ids: ['a','b'], user_id: 'u1' }
 * ```
 */
export function attributionFromHeaders(h: IncomingHttpHeaders): HeaderAttribution {
  const fields: Record<string, unknown> = {};
  const out: HeaderAttribution = { fields: fields as Partial<PayiEvent>, loggingDisabled: false };
  for (const f of ATTRIBUTION_FIELDS as readonly AttributionField[]) {
    if (!f.header) continue;
    const raw = one(h, f.header);
    if (raw === undefined) continue;
    if (f.encoding === 'flag') {
      if (f.option === 'logPromptAndResponse') out.loggingDisabled = true;
      continue;
    }
    let value: unknown;
    if (f.encoding === 'properties') {
      const props = decodePropertiesHeader(raw);
      if (props === undefined) throw new HttpError(400, 'invalid_header', `header ${f.header} "${raw.slice(0, 80)}" ${EXPECTED.properties}`);
      value = props;
    } else {
      value = decodeHeader(f, raw);
      if (f.encoding === 'integer' && (value === undefined || (value as number) < 1 || (value as number) > INT32_MAX)) {
        throw new HttpError(400, 'invalid_header', `header ${f.header} "${raw.slice(0, 80)}" ${EXPECTED.integer}`);
      }
      if (value === undefined) continue;
    }
    if (f.option === 'priceAsCategory') out.priceAsCategory = value as string;
    else if (f.option === 'priceAsResource') out.priceAsResource = value as string;
    else if (f.event) fields[f.event] = value;
  }
  const base = one(h, OTHER_HEADERS.providerBaseUri);
  if (base) out.providerBaseUri = base;
  return out;
}
