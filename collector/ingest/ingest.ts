import { randomUUID } from 'node:crypto';
import { PayiPropertyNames, type LimitStateName, type PayiEvent, type Units, type XproxyResult } from 'payi-instrument';
import { reportedSource, USE_CASE_NAME_RULE, useCaseNameProblem, withoutCredentials } from 'payi-instrument/internal';
import type { EventLimit, EventRow } from '../db/events';
import { requestId as newRequestId } from '../ids';
import { EVENT_NAME_OF_BULK } from './schema';
import { limitState, type SpendBatch } from '../db/limits';
import { costOf, costResult } from '../pricing/cost';
import type { CollectorStore } from '../store';

/**
 * One event as the collector stores it: the fields of the spec's `BulkIngestRequest` (the
 * resource scope as `resource_scope`, the stored column's name), nulls already dropped.
 */
export interface CollectorEvent extends Omit<PayiEvent, 'event_timestamp' | 'resource' | 'provider_response_json'> {
  resource?: string;
  event_timestamp?: string;
  provider_response_json?: string | string[];
  time_to_first_completion_token_ms?: number;
  provider_request_reasoning_json?: string;
}

/** One event to store, already checked against the JSON schema. */
export interface IngestItem {
  event: CollectorEvent;
  /** `proxy` for calls metered by the proxy routes. */
  source?: 'ingest' | 'proxy';
  /** `xProxy-Logging-Disable: True`: never store the prompt and response. */
  loggingDisabled?: boolean;
  /** A request id chosen beforehand (the proxy announces it in a header). */
  requestId?: string;
  /** `xProxy-Instrumented-Module` of the request. */
  instrumentedModule?: string;
}

/** `insert` (ingest, bulk): a repeated `provider_response_id` is not stored again. `upsert` (bulk-upsert): it replaces the stored event. */
export type IngestMode = 'insert' | 'upsert';

/** What happened to one item: stored (or found as a duplicate), or refused with a reason naming the field. */
export type IngestOutcome = { ok: true; result: XproxyResult; eventTimestamp: string } | { ok: false; status: number; code: string; message: string };

/**
 * A wire event (`IngestRequest` or `BulkIngestRequest`) as a {@link CollectorEvent}: only the
 * fields its schema declares (the service drops the others), `null` fields dropped (the spec makes
 * them nullable: null means absent), `scope` read as the resource scope.
 *
 * @example `fromWire({ category: 'system.openai', units: {}, scope: 'global', user_id: null, resource_scope: 'x' }, BULK_ITEM_SCHEMA)` → `{ category: 'system.openai', units: {}, resource_scope: 'global' }`
 */
export function fromWire(body: Record<string, unknown>, schema: { properties: Record<string, unknown> }): CollectorEvent {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v !== null && v !== undefined && Object.hasOwn(schema.properties, k)) out[EVENT_NAME_OF_BULK[k] ?? k] = v;
  }
  return out as unknown as CollectorEvent;
}

/** The unknown model name events get when they carry none. */
export const UNKNOWN_MODEL = 'system.unknown_model';

/**
 * Checks what JSON schema cannot say (the use case name rule); returns the problem naming the field.
 * @example `eventProblem({ use_case_name: 'my case' })` → `use_case_name "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _`
 */
export function eventProblem(event: Partial<CollectorEvent>): string | undefined {
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
export function ingestEvents(store: CollectorStore, items: readonly IngestItem[], mode: IngestMode = 'insert'): IngestOutcome[] {
  return store.db.transaction(() => {
    const spend = store.limits.spendBatch();
    const outcomes = items.map((item) => ingestOne(store, item, mode, spend));
    spend.flush();
    return outcomes;
  })();
}

function ingestOne(store: CollectorStore, item: IngestItem, mode: IngestMode, spend: SpendBatch): IngestOutcome {
  const ev = item.event;
  const problem = eventProblem(ev);
  if (problem) return { ok: false, status: 400, code: 'invalid_event', message: problem };

  const responseId = ev.provider_response_id ?? `payi_${randomUUID()}`;
  const dup = store.events.byProviderResponseId(responseId);
  let replacedRequestId: string | undefined;
  if (dup && mode === 'insert') return { ok: true, result: { ...storedResult(dup), duplicate_request: true }, eventTimestamp: dup.event_timestamp };
  if (dup) {
    // bulk-upsert: the new version replaces the stored one; its limits are recounted without it.
    spend.flush();
    for (const limitId of store.events.remove(dup.id as number)) store.limits.recount(limitId);
    replacedRequestId = dup.request_id;
  }

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

  const limitIds = [...new Set((ev.limit_ids ?? []).map((l) => l.trim()).filter((l) => l !== ''))];
  const limits: Record<string, { state: LimitStateName }> = {};
  const counted: EventLimit[] = [];
  const blocked: string[] = [];
  const warnings: string[] = [];
  for (const id of limitIds) {
    const after = spend.add(id, cost);
    if (!after) {
      limits[id] = { state: 'failed' };
      warnings.push(`no limit with id ${JSON.stringify(id)}: its spend was not counted`);
      counted.push({ limitId: id });
      continue;
    }
    const state = limitState(after);
    limits[id] = { state };
    counted.push({ limitId: id, state });
    if (state === 'blocked') blocked.push(id);
  }

  const requestId = replacedRequestId ?? item.requestId ?? newRequestId();
  let input = 0;
  let output = 0;
  for (const u of Object.values(units)) {
    input += u.input ?? 0;
    output += u.output ?? 0;
  }
  const hasUnknown = Object.keys(cost.unknownUnits).length > 0;
  const tags = [...new Set(ev.request_tags ?? [])];
  // The spec's `ProxyResult`: nothing it does not declare (the price version is stored, not answered).
  const result: XproxyResult = {
    request_id: requestId,
    ...(tags.length > 0 ? { request_tags: tags } : {}),
    ...(limitIds.length > 0 ? { limits } : {}),
    ...(ev.use_case_name !== undefined ? { use_case_name: ev.use_case_name, use_case_id: useCaseId } : {}),
    ...(ev.use_case_name !== undefined && ev.use_case_step !== undefined ? { use_case_step: ev.use_case_step } : {}),
    ...(ev.user_id !== undefined ? { user_id: ev.user_id } : {}),
    ...(ev.account_name !== undefined ? { account_name: ev.account_name } : {}),
    ...(blocked.length > 0 ? { blocked_limit_ids: blocked } : {}),
    cost: costResult(cost),
    ...(hasUnknown ? { unknown_units: cost.unknownUnits } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
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
    time_to_first_completion_token_ms: ev.time_to_first_completion_token_ms ?? null,
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
    // defence in depth: the SDK's credential rule again, for events from any sender (docs/reliability.md)
    request_headers_json: json(withoutCredentials(ev.provider_request_headers)),
    response_headers_json: json(withoutCredentials(ev.provider_response_headers)),
    provider_request_json: logging ? (ev.provider_request_json ?? null) : null,
    // the proxy metered the call itself: its counts are the provider's (or there are none)
    usage_source: usageSourceOf(ev) ?? (item.source === 'proxy' ? reportedSource(units) : null),
    provider_response_json: logging && responseJson !== undefined ? (typeof responseJson === 'string' ? responseJson : JSON.stringify(responseJson)) : null,
    provider_request_reasoning_json: logging ? (ev.provider_request_reasoning_json ?? null) : null,
    instrumented_module: item.instrumentedModule ?? null,
  };
  store.events.insert(row, counted, tags);
  return { ok: true, result, eventTimestamp: timestamp };
}

const USAGE_SOURCES = new Set(['reported', 'estimated', 'missing']);

/** The event's `system.usage_source` property when it is one of the three values, else null. */
function usageSourceOf(ev: Pick<PayiEvent, 'properties'>): string | null {
  const v = ev.properties?.[PayiPropertyNames.usageSource];
  return typeof v === 'string' && USAGE_SOURCES.has(v) ? v : null;
}

/** The `xproxy_result` of a stored event, with its cost as stored now (it may have been recomputed). */
export function storedResult(row: EventRow): XproxyResult {
  const base: XproxyResult = row.result_json ? (JSON.parse(row.result_json) as XproxyResult) : { request_id: row.request_id };
  delete base.unknown_units;
  delete base.price_version; // answered by collectors before the spec shape; not a `ProxyResult` field
  for (const l of Object.values(base.limits ?? {})) delete l.message; // idem
  return {
    ...base,
    cost: costResult({ input: row.cost_input, output: row.cost_output, total: row.cost_total }),
    ...(row.unknown_units_json ? { unknown_units: JSON.parse(row.unknown_units_json) as Units } : {}),
  };
}
