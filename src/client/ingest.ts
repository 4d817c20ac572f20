import type { PayiEvent, XproxyResult } from '../events/types';
import { toProxyHeaders, type Attribution } from '../headers/attribution';
import type { HttpCore } from './http';
import type { BulkIngestResponse, RequestOptions } from './types';
import { invalid, object } from './validate';

/**
 * The attribution fields of an event as `xProxy-*` headers (the encoding of proxy mode): limit ids
 * and request tags comma-joined, the use case group, user, account and resource scope. Properties
 * stay in the JSON body only.
 */
export function ingestHeaders(event: PayiEvent): Record<string, string> {
  const a: Attribution = { logPromptAndResponse: true };
  if (event.limit_ids?.length) a.limitIds = event.limit_ids;
  if (event.request_tags?.length) a.requestTags = event.request_tags;
  if (event.use_case_name) a.useCaseName = event.use_case_name;
  if (event.use_case_id) a.useCaseId = event.use_case_id;
  if (typeof event.use_case_version === 'number') a.useCaseVersion = event.use_case_version;
  if (event.use_case_step) a.useCaseStep = event.use_case_step;
  if (event.user_id) a.userId = event.user_id;
  if (event.account_name) a.accountName = event.account_name;
  if (event.resource_scope) a.resourceScope = event.resource_scope;
  return toProxyHeaders(a);
}

/**
 * `payi.ingest`: sends usage events (contract §6).
 *
 * @example
 * ```ts
 * const result = await payi.ingest.units({ category: 'system.openai', resource: 'gpt-4o', units: { text: { input: 10, output: 5 } }, event_timestamp: new Date().toISOString() });
 * console.log(result.cost);
 * ```
 */
export class IngestResource {
  constructor(private readonly http: HttpCore) {}

  /**
   * `POST /api/v1/ingest?id=<provider_response_id>`: one event, with its attribution fields also as
   * `xProxy-*` headers. Resolves to the service's `xproxy_result`.
   */
  async units(event: PayiEvent, options: RequestOptions = {}): Promise<XproxyResult> {
    object('payi.ingest.units', 'event', event);
    if (typeof event.category !== 'string' || event.category === '') invalid('payi.ingest.units', 'event.category', event.category, "a provider category such as 'system.openai'");
    const body = await this.http.request<{ xproxy_result?: XproxyResult; request_id?: string }>({
      ...options,
      method: 'POST',
      path: '/api/v1/ingest',
      query: { id: event.provider_response_id },
      headers: ingestHeaders(event),
      body: event,
    });
    if (body.xproxy_result && typeof body.xproxy_result === 'object') return body.xproxy_result;
    return body.request_id ? { request_id: body.request_id } : {};
  }

  /**
   * `POST /api/v1/ingest/bulk` with `{ events }`. Resolves to `{ results, errors }`
   * ({@link BulkIngestResponse}): one `xproxy_result` or `null` per item, and the per-item errors.
   * A 400 that carries per-item `errors` (every item malformed) is returned, not thrown.
   */
  async bulk(events: readonly PayiEvent[], options: RequestOptions = {}): Promise<BulkIngestResponse> {
    if (!Array.isArray(events)) invalid('payi.ingest.bulk', 'events', events, 'an array of events');
    const body = await this.http.request<Record<string, unknown>>({
      ...options,
      method: 'POST',
      path: '/api/v1/ingest/bulk',
      body: { events },
      accept: (status, b) => status === 400 && !!b && typeof b === 'object' && Array.isArray((b as { errors?: unknown }).errors),
    });
    const results = Array.isArray(body.results) ? (body.results as (XproxyResult | null)[]) : [];
    const errors = Array.isArray(body.errors) ? (body.errors as BulkIngestResponse['errors']) : [];
    return { ...body, results, errors };
  }
}
