import { randomUUID } from 'node:crypto';
import type { LimitStateName, PayiEvent, Units, XproxyResult } from 'payi-instrument';
import { USE_CASE_NAME_RULE, useCaseNameProblem } from 'payi-instrument/internal';
import type { EventRow } from '../db/events';
import { requestId as newRequestId } from '../ids';
import { limitState } from '../db/limits';
import { costOf, costResult } from '../pricing/cost';
import type { CollectorStore } from '../store';

/** One event to store, already checked against the JSON schema. */
export interface IngestItem {
  event: PayiEvent;
  /** `proxy` for calls metered by the proxy routes. */
  source?: 'ingest' | 'proxy';
  /** `xProxy-Logging-Disable: True`: never store the prompt and response. */
  loggingDisabled?: boolean;
  /** A request id chosen beforehand (the proxy announces it in a header). */
  requestId?: string;
}

/** What happened to one item: stored (or found as a duplicate), or refused with a reason naming the field. */
export type IngestOutcome = { ok: true; result: XproxyResult } | { ok: false; status: number; code: string; message: string };

/** The unknown model name events get when they carry none. */
export const UNKNOWN_MODEL = 'system.unknown_model';

/**
 * Checks what JSON schema cannot say (the use case name rule); returns the problem naming the field.
 * @example `eventProblem({ use_case_name: 'my case' })` → `use_case_name "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _`
 */
export function eventProblem(event: Partial<PayiEvent>): string | undefined {
  if (event.use_case_name !== undefined) {
    const p = useCaseNameProblem(event.use_case_name);
    if (p) return `use_case_name ${JSON.stringify(event.use_case_name)} ${p}; ${USE_CASE_NAME_RULE}`;
  }
  return undefined;
}

/**
 * Stores events in one transaction: cost from the price table, spend added to every limit the
 * event carries, a definition (logging off) for an unknown use case, an instance id for a named
 * use case without one. A `provider_response_id` seen before is not stored again: its first
 * result comes back with `duplicate_request: true`. Returns one outcome per item, in order.
 *
 * @example
 * ```ts
 * const [out] = ingestEvents(store, [{ event: { category: 'system.openai', resource: 'gpt-4o', units: { text: { input: 10 } }, event_timestamp: new Date().toISOString() } }]);
 * ```
 */
export function ingestEvents(store: CollectorStore, items: readonly IngestItem[]): IngestOutcome[] {
  return store.db.transaction(() => items.map((item) => ingestOne(store, item)))();
}

function ingestOne(store: CollectorStore, item: IngestItem): IngestOutcome {
  const ev = item.event;
  const problem = eventProblem(ev);
  if (problem) return { ok: false, status: 400, code: 'invalid_event', message: problem };

  const responseId = ev.provider_response_id ?? `payi_${randomUUID()}`;
  const dup = store.events.byProviderResponseId(responseId);
  if (dup) return { ok: true, result: { ...storedResult(dup), duplicate_request: true } };

  const now = new Date().toISOString();
  const timestamp = ev.event_timestamp ?? now;
  const resource = ev.resource === undefined || ev.resource === '' ? UNKNOWN_MODEL : ev.resource;
  const units: Units = ev.units ?? {};
  const cost = costOf(store.prices, ev.category, resource, units, timestamp);

  let logging = false;
  let useCaseId = ev.use_case_id;
  if (ev.use_case_name !== undefined) {
    logging = store.useCases.ensureDefinition(ev.use_case_name, now) && !item.loggingDisabled;
    useCaseId ??= randomUUID();
    store.useCases.ensureInstance(useCaseId, ev.use_case_name, now);
  }

  const limitIds = [...new Set(ev.limit_ids ?? [])];
  const limits: Record<string, { state: LimitStateName; message?: string }> = {};
  const blocked: string[] = [];
  for (const id of limitIds) {
    const after = store.limits.addSpend(id, cost.total);
    if (!after) {
      limits[id] = { state: 'failed', message: `no limit with id ${JSON.stringify(id)}` };
      continue;
    }
    const state = limitState(after);
    limits[id] = { state };
    if (state === 'blocked') blocked.push(id);
  }

  const requestId = item.requestId ?? newRequestId();
  let input = 0;
  let output = 0;
  for (const u of Object.values(units)) {
    input += u.input ?? 0;
    output += u.output ?? 0;
  }
  const hasUnknown = Object.keys(cost.unknownUnits).length > 0;
  const result: XproxyResult = {
    request_id: requestId,
    cost: costResult(cost),
    ...(limitIds.length > 0 ? { limits } : {}),
    ...(blocked.length > 0 ? { blocked_limit_ids: blocked } : {}),
    ...(ev.use_case_name !== undefined ? { use_case_name: ev.use_case_name, use_case_id: useCaseId } : {}),
    ...(ev.user_id !== undefined ? { user_id: ev.user_id } : {}),
    ...(cost.priceVersion ? { price_version: cost.priceVersion } : {}),
    ...(hasUnknown ? { unknown_units: cost.unknownUnits } : {}),
  };

  const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
  const responseJson = ev.provider_response_json as unknown;
  const row: EventRow = {
    request_id: requestId,
    provider_response_id: responseId,
    source: item.source ?? 'ingest',
    category: ev.category,
    resource,
    event_timestamp: timestamp,
    ingest_timestamp: now,
    http_status_code: ev.http_status_code ?? null,
    end_to_end_latency_ms: ev.end_to_end_latency_ms ?? null,
    time_to_first_token_ms: ev.time_to_first_token_ms ?? null,
    use_case_name: ev.use_case_name ?? null,
    use_case_id: useCaseId ?? null,
    use_case_version: ev.use_case_version ?? null,
    use_case_step: ev.use_case_step ?? null,
    user_id: ev.user_id ?? null,
    account_name: ev.account_name ?? null,
    resource_scope: ev.resource_scope ?? null,
    provider_uri: ev.provider_uri ?? null,
    input_tokens: input,
    output_tokens: output,
    cost_input: cost.input,
    cost_output: cost.output,
    cost_total: cost.total,
    price_version: cost.priceVersion ?? null,
    units_json: JSON.stringify(units),
    unknown_units_json: hasUnknown ? JSON.stringify(cost.unknownUnits) : null,
    limit_ids_json: limitIds.length > 0 ? JSON.stringify(limitIds) : null,
    request_tags_json: json(ev.request_tags),
    result_json: JSON.stringify(result),
    properties_json: json(ev.properties),
    use_case_properties_json: json(ev.use_case_properties),
    function_calls_json: json(ev.provider_response_function_calls),
    request_headers_json: json(ev.provider_request_headers),
    response_headers_json: json(ev.provider_response_headers),
    provider_request_json: logging ? (ev.provider_request_json ?? null) : null,
    provider_response_json: logging && responseJson !== undefined ? (typeof responseJson === 'string' ? responseJson : JSON.stringify(responseJson)) : null,
  };
  store.events.insert(row, limitIds, [...new Set(ev.request_tags ?? [])]);
  return { ok: true, result };
}

/** The `xproxy_result` of a stored event, with its cost as stored now (it may have been recomputed). */
export function storedResult(row: EventRow): XproxyResult {
  const base: XproxyResult = row.result_json ? (JSON.parse(row.result_json) as XproxyResult) : { request_id: row.request_id };
  delete base.unknown_units;
  delete base.price_version;
  return {
    ...base,
    cost: costResult({ input: row.cost_input, output: row.cost_output, total: row.cost_total }),
    ...(row.price_version ? { price_version: row.price_version } : {}),
    ...(row.unknown_units_json ? { unknown_units: JSON.parse(row.unknown_units_json) as Units } : {}),
  };
}
