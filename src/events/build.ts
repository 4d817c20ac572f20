import { randomUUID } from 'node:crypto';
import type { Attribution } from '../headers/attribution';
import { ATTRIBUTION_FIELDS, type AttributionField } from '../wire/fields';
import { reportedSource, USAGE_SOURCE_PROPERTY, type UsageSource } from '../usage/source';
import { isUnrecordedResponseHeader, requestHeaderPairs } from './redact';
import { isEmptyObject } from '../internal/empty';
import { isoTimestamp } from '../internal/iso-time';
import type { FunctionCall, HeaderPair, PayiEvent, Units } from './types';

/** What a provider adapter knows about one finished (or failed, or abandoned) call. */
export interface CallOutcome {
  category: string;
  /** The model (or Azure deployment); `system.unknown_model` when absent. */
  resource?: string;
  units: Units;
  startedAt: Date;
  endToEndLatencyMs: number;
  timeToFirstTokenMs?: number;
  /** Streams: time to the first chunk with completion content, set only when that is not the first chunk. */
  timeToFirstCompletionTokenMs?: number;
  httpStatusCode?: number;
  /** The response body's id (`chatcmpl-...`, `msg_...`). */
  responseId?: string;
  /** The provider's request-id header, used when the body has no id. */
  requestId?: string;
  providerUri?: string;
  properties?: Record<string, string | null>;
  requestJson?: string;
  responseJson?: string;
  responseHeaders?: Headers | Record<string, string> | null;
  requestHeaders?: Record<string, string>;
  functionCalls?: FunctionCall[];
  /** How `units` are known; default: `reported` when any unit has a count, else `missing`. */
  usageSource?: UsageSource;
}

const EVENT_FIELDS = (ATTRIBUTION_FIELDS as readonly AttributionField[]).filter((f) => f.event !== undefined);

/** `Headers.forEach` callback: adds a recorded header to the pairs passed as `this` (no closure per call). */
function addRecorded(this: HeaderPair[], value: string, name: string): void {
  if (!isUnrecordedResponseHeader(name)) this.push({ name, value });
}

/**
 * Response headers as `{ name, value }` pairs, without `transfer-encoding`, `content-*` and any
 * header that may carry a credential (`set-cookie`, ...: the rule in `./redact`,
 * `isUnrecordedResponseHeader`).
 *
 * @example
 * ```ts
 * responseHeaderPairs({ 'x-request-id': 'r1', 'content-type': 'json' }); // [{ name: 'x-request-id', value: 'r1' }]
 * ```
 */
export function responseHeaderPairs(headers: CallOutcome['responseHeaders']): HeaderPair[] {
  const out: HeaderPair[] = [];
  if (!headers) return out;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) headers.forEach(addRecorded, out);
  else for (const [k, v] of Object.entries(headers)) addRecorded.call(out, String(v), k);
  return out;
}

/**
 * Builds the wire event of one provider call from the adapter's outcome and the call's
 * attribution (contract §6). Price-as values replace the category and resource; prompt and
 * response are included only when the attribution allows logging.
 *
 * @example
 * ```ts
 * const event = buildEvent(outcome, resolveAttribution(frame, callHeaders).attribution);
 * ```
 */
export function buildEvent(outcome: CallOutcome, a: Attribution): PayiEvent {
  const e: PayiEvent = {
    category: a.priceAsCategory || outcome.category,
    resource: a.priceAsResource || outcome.resource || 'system.unknown_model',
    units: outcome.units,
    event_timestamp: isoTimestamp(outcome.startedAt.getTime()),
    end_to_end_latency_ms: Math.max(0, Math.round(outcome.endToEndLatencyMs)),
  };
  if (outcome.timeToFirstTokenMs !== undefined) e.time_to_first_token_ms = Math.max(0, Math.round(outcome.timeToFirstTokenMs));
  if (outcome.timeToFirstCompletionTokenMs !== undefined) e.time_to_first_completion_token_ms = Math.max(0, Math.round(outcome.timeToFirstCompletionTokenMs));
  if (outcome.httpStatusCode !== undefined) e.http_status_code = outcome.httpStatusCode;
  e.provider_response_id = outcome.responseId || outcome.requestId || `payi_${randomUUID()}`;
  if (outcome.providerUri) e.provider_uri = outcome.providerUri;
  // The call's own properties (system.*, the usage source) are merged into the request properties below.
  const properties = { ...(a.requestProperties ?? {}), ...(outcome.properties ?? {}), [USAGE_SOURCE_PROPERTY]: outcome.usageSource ?? reportedSource(outcome.units) };
  if (a.logPromptAndResponse) {
    if (outcome.requestJson !== undefined) e.provider_request_json = outcome.requestJson;
    if (outcome.responseJson !== undefined) e.provider_response_json = outcome.responseJson;
  }
  const rh = responseHeaderPairs(outcome.responseHeaders);
  if (rh.length > 0) e.provider_response_headers = rh;
  const qh = requestHeaderPairs(outcome.requestHeaders);
  if (qh.length > 0) e.provider_request_headers = qh;
  if (outcome.functionCalls && outcome.functionCalls.length > 0) e.provider_response_function_calls = outcome.functionCalls;
  // Attribution fields, as the table names them on the event (absent and empty values left out).
  const values = a as unknown as Record<string, unknown>;
  const out = e as unknown as Record<string, unknown>;
  for (const f of EVENT_FIELDS) {
    const v = f.option === 'requestProperties' ? properties : values[f.option];
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && isEmptyObject(v)) continue;
    out[f.event!] = v;
  }
  return e;
}
