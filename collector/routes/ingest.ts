import type { FastifyInstance } from 'fastify';
import type { PayiEvent, XproxyResult } from 'payi-instrument';
import { attributionFromHeaders } from '../http/attribution';
import { describeSchemaError, HttpError, type SchemaError } from '../http/errors';
import { ingestEvents, type IngestItem } from '../ingest/ingest';
import { BULK_SCHEMA, EVENT_SCHEMA } from '../ingest/schema';
import type { CollectorStore } from '../store';

/** One per-item error of a bulk answer. */
interface BulkError {
  index: number;
  status: number;
  code: string;
  message: string;
}

/**
 * `POST /api/v1/ingest` (one event; attribution also from `xProxy-*` headers, which win over the
 * body; `?id=` is the provider response id when the body has none) and `POST /api/v1/ingest/bulk`
 * (`{ events: [...] }`; each item checked on its own, valid ones stored even when others are malformed).
 */
export function ingestRoutes(app: FastifyInstance, store: CollectorStore): void {
  app.post<{ Body: PayiEvent; Querystring: { id?: string } }>(
    '/api/v1/ingest',
    { schema: { body: EVENT_SCHEMA, querystring: { type: 'object', properties: { id: { type: 'string', minLength: 1 } } } } },
    async (req) => {
      const attribution = attributionFromHeaders(req.headers);
      const event: PayiEvent = { ...req.body, ...attribution.fields };
      if (event.provider_response_id === undefined && req.query.id) event.provider_response_id = req.query.id;
      const [out] = ingestEvents(store, [{ event, loggingDisabled: attribution.loggingDisabled }]);
      if (!out.ok) throw new HttpError(out.status, out.code, out.message);
      return { event_timestamp: event.event_timestamp, ingest_timestamp: new Date().toISOString(), request_id: out.result.request_id, xproxy_result: out.result };
    },
  );

  app.post<{ Body: { events: unknown[] } }>('/api/v1/ingest/bulk', { schema: { body: BULK_SCHEMA } }, async (req, reply) => {
    const validate = req.compileValidationSchema(EVENT_SCHEMA, 'body');
    const results: (XproxyResult | null)[] = req.body.events.map(() => null);
    const errors: BulkError[] = [];
    const items: IngestItem[] = [];
    const indexes: number[] = [];
    req.body.events.forEach((ev, index) => {
      if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) {
        errors.push({ index, status: 400, code: 'invalid_event', message: `events[${index}] is not an object` });
      } else if (!validate(ev)) {
        errors.push({ index, status: 400, code: 'invalid_event', message: describeSchemaError((validate.errors ?? []) as SchemaError[]) });
      } else {
        items.push({ event: ev as PayiEvent });
        indexes.push(index);
      }
    });
    const outcomes = items.length > 0 ? ingestEvents(store, items) : [];
    let stored = 0;
    outcomes.forEach((out, i) => {
      const index = indexes[i];
      if (out.ok) {
        results[index] = out.result;
        stored++;
      } else errors.push({ index, status: out.status, code: out.code, message: out.message });
    });
    errors.sort((a, b) => a.index - b.index);
    const status = stored > 0 || req.body.events.length === 0 ? 200 : 400;
    return reply.code(status).send({
      ingest_count: stored,
      error_count: errors.length,
      total_count: req.body.events.length,
      ingest_timestamp: new Date().toISOString(),
      results,
      errors,
    });
  });
}
