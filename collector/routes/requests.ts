import type { FastifyInstance } from 'fastify';
import type { EventRow } from '../db/events';
import { HttpError } from '../http/errors';
import { storedResult } from '../ingest/ingest';
import type { CollectorStore } from '../store';

const propertiesBody = {
  type: 'object',
  required: ['properties'],
  properties: { properties: { type: 'object', additionalProperties: { type: ['string', 'null'] } } },
} as const;

/**
 * Requests, as Pay-i's OpenAPI document defines them: `GET /api/v1/requests/{request_id}/result`
 * and `GET /api/v1/requests/provider/{category}/{provider_response_id}/result`
 * (`RequestResultResponse`: the stored event's `xproxy_result`), and `PUT .../properties`
 * (`PropertiesRequest`: the given properties are merged into the event's, a `null` value removes
 * one; answers `PropertiesResponse`).
 */
export function requestRoutes(app: FastifyInstance, store: CollectorStore): void {
  const byId = (id: string): EventRow => {
    const row = store.events.byRequestId(id);
    if (!row) throw new HttpError(404, 'not_found', `no request with id "${id}"`);
    return row;
  };
  const byProvider = (category: string, id: string): EventRow => {
    const row = store.events.byProviderResponse(category, id);
    if (!row) throw new HttpError(404, 'not_found', `no request of category "${category}" with provider response id "${id}"`);
    return row;
  };
  const setProperties = (row: EventRow, given: Record<string, string | null>): { request_id: string } => {
    const merged: Record<string, string | null> = row.properties_json ? (JSON.parse(row.properties_json) as Record<string, string | null>) : {};
    for (const [k, v] of Object.entries(given)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    store.events.setProperties(row.id as number, Object.keys(merged).length > 0 ? merged : null);
    return { request_id: row.request_id };
  };

  type Id = { Params: { id: string } };
  type Provider = { Params: { category: string; id: string } };
  type Props = { Body: { properties: Record<string, string | null> } };

  app.get<Id>('/api/v1/requests/:id/result', async (req) => ({ xproxy_result: storedResult(byId(req.params.id)) }));
  app.get<Provider>('/api/v1/requests/provider/:category/:id/result', async (req) => ({ xproxy_result: storedResult(byProvider(req.params.category, req.params.id)) }));
  app.put<Id & Props>('/api/v1/requests/:id/properties', { schema: { body: propertiesBody } }, async (req) => setProperties(byId(req.params.id), req.body.properties));
  app.put<Provider & Props>('/api/v1/requests/provider/:category/:id/properties', { schema: { body: propertiesBody } }, async (req) =>
    setProperties(byProvider(req.params.category, req.params.id), req.body.properties),
  );
}
