import { PayiConfigError } from '../errors';
import { scopeValueProblem } from '../context/validate';
import type { Properties } from '../context/types';
import { toProxyHeaders } from './attribution';
import { stringifyProperties } from './encode';
import { PayiHeaderNames } from './names';

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

/** The fields {@link createHeaders} accepts (the scope options that make sense for one call). */
const FIELDS: readonly (keyof CreateHeadersOptions)[] = [
  'limitIds', 'requestTags', 'userId', 'accountName', 'useCaseName', 'useCaseId', 'useCaseVersion', 'useCaseStep',
  'useCaseProperties', 'requestProperties', 'priceAsCategory', 'priceAsResource', 'resourceScope', 'logPromptAndResponse',
];
const KNOWN = new Set<string>(FIELDS);

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
    const problem = KNOWN.has(key) ? scopeValueProblem(key, value) : `unknown option ${JSON.stringify(key)}; expected one of ${FIELDS.join(', ')}`;
    if (problem) throw new PayiConfigError(`createHeaders: ${problem}`, key, value);
  }
  const headers = toProxyHeaders({
    ...(options.limitIds ? { limitIds: [...options.limitIds] } : {}),
    ...(options.requestTags ? { requestTags: [...options.requestTags] } : {}),
    ...pickStrings(options),
    ...(options.useCaseVersion !== undefined ? { useCaseVersion: options.useCaseVersion } : {}),
    ...(options.useCaseProperties ? { useCaseProperties: stringifyProperties(options.useCaseProperties) } : {}),
    ...(options.requestProperties ? { requestProperties: stringifyProperties(options.requestProperties) } : {}),
    logPromptAndResponse: options.logPromptAndResponse !== false,
  });
  // An explicitly empty field is sent as an empty header: on a call, that clears the field.
  const clears: Record<string, string> = {};
  const names = PayiHeaderNames as Record<string, string>;
  for (const [key, value] of Object.entries(options)) {
    const empty = value === '' || (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
    if (empty && names[key]) clears[names[key]] = '';
  }
  return { ...clears, ...headers };
}

function pickStrings(o: CreateHeadersOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['userId', 'accountName', 'useCaseName', 'useCaseId', 'useCaseStep', 'priceAsCategory', 'priceAsResource', 'resourceScope'] as const) {
    const v = o[k];
    if (v) out[k] = v;
  }
  return out;
}
