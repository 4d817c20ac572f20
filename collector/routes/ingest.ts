import type { FastifyInstance, FastifyRequest } from 'fastify';
import { attributionFromHeaders, instrumentedModule } from '../http/attribution';
import { bulkErrorBody, describeSchemaError, errorBody, HttpError, type SchemaError } from '../http/errors';
import { fromWire, ingestEvents, type IngestItem, type IngestMode } from '../ingest/ingest';
import { BULK_ITEM_SCHEMA, INGEST_SCHEMA, MAX_BULK_EVENTS } from '../ingest/schema';
import { requestId } from '../ids';
import type { CollectorStore } from '../store';

/** One per-item error of a bulk answer (`IndexApiError`); without `item_index` when the whole request was refused. */
interface IndexApiError {
  item_index?: number;
  xproxy_result: Record<string, unknown>;
}

/** The items of a bulk body: the spec's bare array, or the deprecated `{ "events": [...] }`; a string saying what is wrong otherwise. */
function bulkItems(body: unknown): unknown[] | string {
  const items = Array.isArray(body) ? body : body !== null && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events) ? (body as { events: unknown[] }).events : undefined;
  if (!items) return 'the body must be a JSON array of BulkIngestRequest items';
  if (items.length > MAX_BULK_EVENTS) return `the body has ${items.length} items; at most ${MAX_BULK_EVENTS} are taken per request`;
  return items;
}

/**
 * `POST /api/v1/ingest` (`IngestRequest`; attribution from the `xProxy-*` headers the operation
 * declares; `?id=` is the provider response id when the body has none; answers `IngestResponse`, a
 * refused event `ProxyApiError`), and `POST /api/v1/ingest/bulk` / `POST /api/v1/ingest/bulk-upsert`
 * (a bare array of `BulkIngestRequest`, attribution in each item; each item checked on its own,
 * valid ones stored even when others are refused; answers `BulkIngestResponse` with per-item
 * `errors` by `item_index`). `bulk` stores a repeated `provider_response_id` once; `bulk-upsert`
 * replaces the stored event with the new one.
 */
export function ingestRoutes(app: FastifyInstance, store: CollectorStore): void {
  app.post<{ Body: Record<string, unknown>; Querystring: { id?: string } }>(
    '/api/v1/ingest',
    { schema: { body: INGEST_SCHEMA, querystring: { type: 'object', properties: { id: { type: 'string', minLength: 1 } } } } },
    async (req) => {
      const attribution = attributionFromHeaders(req.headers);
      const event = { ...fromWire(req.body, INGEST_SCHEMA), ...attribution.fields };
      if (event.provider_response_id === undefined && req.query.id) event.provider_response_id = req.query.id;
      const [out] = ingestEvents(store, [{ event, loggingDisabled: attribution.loggingDisabled, instrumentedModule: instrumentedModule(req.headers) }]);
      if (!out.ok) throw new HttpError(out.status, out.code, out.message);
      return { request_id: out.result.request_id, ingest_timestamp: new Date().toISOString(), event_timestamp: out.eventTimestamp, xproxy_result: out.result };
    },
  );

  const bulk = (mode: IngestMode) => async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const answer = (status: number, ingested: number, total: number, errors: IndexApiError[]) =>
      reply.code(status).send({
        request_id: requestId(),
        ingest_timestamp: new Date().toISOString(),
        ingest_count: ingested,
        error_count: errors.length,
        item_error_count: errors.filter((e) => e.item_index !== undefined).length,
        errors,
        total_count: total,
      });
    const items = bulkItems(req.body);
    if (typeof items === 'string') return reply.code(400).send(bulkErrorBody(400, 'invalid_request', items));
    const validate = req.compileValidationSchema(BULK_ITEM_SCHEMA, 'body');
    const errors: IndexApiError[] = [];
    const valid: IngestItem[] = [];
    const indexes: number[] = [];
    const module = instrumentedModule(req.headers);
    items.forEach((ev, index) => {
      const refuse = (message: string): void => void errors.push({ item_index: index, xproxy_result: errorBody(400, 'invalid_event', message) });
      if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) refuse(`item ${index} is not an object`);
      else if (!validate(ev)) refuse(describeSchemaError((validate.errors ?? []) as SchemaError[]));
      else {
        valid.push({ event: fromWire(ev as Record<string, unknown>, BULK_ITEM_SCHEMA), instrumentedModule: module });
        indexes.push(index);
      }
    });
    const outcomes = valid.length > 0 ? ingestEvents(store, valid, mode) : [];
    let stored = 0;
    outcomes.forEach((out, i) => {
      if (out.ok) stored++;
      else errors.push({ item_index: indexes[i], xproxy_result: errorBody(out.status, out.code, out.message) });
    });
    errors.sort((a, b) => (a.item_index ?? -1) - (b.item_index ?? -1));
    return answer(stored > 0 || items.length === 0 ? 200 : 400, stored, items.length, errors);
  };
  app.post('/api/v1/ingest/bulk', { config: { bulk: true } }, bulk('insert'));
  app.post('/api/v1/ingest/bulk-upsert', { config: { bulk: true } }, bulk('upsert'));
}
