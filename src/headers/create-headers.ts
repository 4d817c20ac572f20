import { PayiConfigError } from '../errors';
import { scopeValueProblem } from '../context/validate';
import type { Properties } from '../context/types';
import { ATTRIBUTION_FIELDS, type AttributionField } from '../wire/fields';
import { stringifyProperties } from '../wire/encode';
import { toProxyHeaders, type Attribution } from './attribution';

/** Fields of {@link createHeaders}: the scope fields that make sense for one call. */
export interface CreateHeadersOptions {
  limitIds?: readonly string[];
  requestTags?: readonly string[];
  userId?: string;
  accountName?: string;
  useCaseName?: string;
  useCaseId?: string;
  useCaseVersion?: number;
  useCaseStep?: string;
  useCaseProperties?: Properties;
  requestProperties?: Properties;
  priceAsCategory?: string;
  priceAsResource?: string;
  resourceScope?: string;
  /** `false` adds `xProxy-Logging-Disable: True`. */
  logPromptAndResponse?: boolean;
}

/** The fields {@link createHeaders} accepts: every attribution field that has a header. */
const FIELDS = (ATTRIBUTION_FIELDS as readonly AttributionField[]).filter((f) => f.header !== undefined);
const KNOWN = new Set<string>(FIELDS.map((f) => f.option));

/**
 * Builds `xProxy-*` headers for one provider call, passed as the SDK's per-request option. They
 * beat the enclosing scope for the fields they set; an empty string or `[]` clears a field.
 * In ingest mode the SDK removes them before the request reaches the provider.
 *
 * @example
 * ```ts
 * await client.chat.completions.create(body, { headers: createHeaders({ userId: 'user_123', limitIds: ['budget_1'] }) });
 * ```
 */
export function createHeaders(options: CreateHeadersOptions): Record<string, string> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new PayiConfigError(`createHeaders: options ${String(options)} is not an object; expected e.g. { userId: 'user_123' }`, 'options', options);
  }
  for (const [key, value] of Object.entries(options)) {
    const problem = KNOWN.has(key) ? scopeValueProblem(key, value) : `unknown option ${JSON.stringify(key)}; expected one of ${[...KNOWN].join(', ')}`;
    if (problem) throw new PayiConfigError(`createHeaders: ${problem}`, key, value);
  }
  const values: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = (options as Record<string, unknown>)[f.option];
    if (v === undefined || v === null) continue;
    values[f.option] = f.kind === 'list' ? [...(v as readonly string[])] : f.kind === 'properties' ? stringifyProperties(v as Properties) : v;
  }
  const headers = toProxyHeaders({ ...values, logPromptAndResponse: options.logPromptAndResponse !== false } as Attribution);
  // An explicitly empty field is sent as an empty header: on a call, that clears the field.
  const clears: Record<string, string> = {};
  for (const f of FIELDS) {
    const value = (options as Record<string, unknown>)[f.option];
    const empty = value === '' || (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
    if (empty) clears[f.header!] = '';
  }
  return { ...clears, ...headers };
}
