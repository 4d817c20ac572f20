import { SDK_MODULE } from '../internal/version';
import type { PayiEvent, XproxyResult } from '../events/types';
import { OTHER_HEADERS } from '../wire/fields';
import { bulkBody, toIngestHeaders, toIngestRequest } from '../wire/ingest';
import type { BulkIngestResponse } from '../wire/types';
import type { HttpCore } from './http';
import type { RequestOptions } from './types';
import { invalid, object } from './validate';

const isBulkAnswer = (b: unknown): boolean =>
  !!b && typeof b === 'object' && !Array.isArray(b) && typeof (b as { ingest_count?: unknown }).ingest_count === 'number';

/**
 * `payi.ingest`: sends usage events (contract §6), exactly as Pay-i's OpenAPI document declares.
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
   * `POST /api/v1/ingest`: one event as an `IngestRequest` body (no attribution fields), with the
   * attribution as the `xProxy-*` headers the operation declares (limit ids, use case name, id,
   * version and step, user, account, resource scope). Resolves to the answer's `xproxy_result`,
   * with the answer's `request_id` when the result has none.
   *
   * Also sent, as Pay-i's Python SDK sends them on every ingest although the OpenAPI document does
   * not declare them for this operation: `?id=<provider_response_id>` and
   * `xProxy-Instrumented-Module: payi-instrument/<version>` (docs/wire.md). Request tags are not
   * sent here (no header is declared for them; bulk items carry them).
   */
  async units(event: PayiEvent, options: RequestOptions = {}): Promise<XproxyResult> {
    object('payi.ingest.units', 'event', event);
    if (typeof event.category !== 'string' || event.category === '') invalid('payi.ingest.units', 'event.category', event.category, "a provider category such as 'system.openai'");
    const body = await this.http.request<{ xproxy_result?: XproxyResult; request_id?: string }>({
      ...options,
      method: 'POST',
      path: '/api/v1/ingest',
      ...(event.provider_response_id ? { query: { id: event.provider_response_id } } : {}),
      headers: { ...toIngestHeaders(event), [OTHER_HEADERS.instrumentedModule]: `${SDK_MODULE.name}/${SDK_MODULE.version}` },
      body: toIngestRequest(event),
    });
    const result: XproxyResult = body.xproxy_result && typeof body.xproxy_result === 'object' ? { ...body.xproxy_result } : {};
    if (!result.request_id && typeof body.request_id === 'string') result.request_id = body.request_id;
    return result;
  }

  /**
   * `POST /api/v1/ingest/bulk`: the events as a bare JSON array of `BulkIngestRequest` items.
   * Resolves to the `BulkIngestResponse` (`ingest_count`, and `errors: [{ item_index,
   * xproxy_result }]` for refused items). A 400 whose body is a `BulkIngestResponse` (items
   * refused) is returned, not thrown, so per-item reasons are never lost.
   */
  bulk(events: readonly PayiEvent[], options: RequestOptions = {}): Promise<BulkIngestResponse> {
    return this.send('payi.ingest.bulk', '/api/v1/ingest/bulk', events, options);
  }

  /**
   * `POST /api/v1/ingest/bulk-upsert`: like {@link bulk}, but the service inserts or updates each
   * record keyed by `provider_response_id`, so sending the same events again does not count them
   * twice.
   */
  bulkUpsert(events: readonly PayiEvent[], options: RequestOptions = {}): Promise<BulkIngestResponse> {
    return this.send('payi.ingest.bulkUpsert', '/api/v1/ingest/bulk-upsert', events, options);
  }

  private async send(where: string, path: string, events: readonly PayiEvent[], options: RequestOptions): Promise<BulkIngestResponse> {
    if (!Array.isArray(events)) invalid(where, 'events', events, 'an array of events');
    events.forEach((e, i) => {
      if (e === null || typeof e !== 'object') invalid(where, `events[${i}]`, e, 'an event object');
    });
    const body = await this.http.request<BulkIngestResponse>({
      ...options,
      method: 'POST',
      path,
      json: bulkBody(events),
      accept: (status, b) => status === 400 && isBulkAnswer(b),
    });
    return { ...body, errors: Array.isArray(body.errors) ? body.errors : [] };
  }
}
