import type { FastifyInstance } from 'fastify';
import { type LimitInput, type LimitRow, limitHistoryView, limitView } from '../db/limits';
import { HttpError } from '../http/errors';
import { requestId } from '../ids';
import type { CollectorStore } from '../store';
import { PAGE_QUERY, page, type PageQuery } from './paginate';

const LIMITS = '/api/v1/limits';

type IdParams = { Params: { id: string } };

/** An unknown limit id: 400 (the only error status the spec declares on these operations), code `not_found`. */
const notFound = (id: string): HttpError => new HttpError(400, 'not_found', `no limit with id "${id}"`);

/**
 * Limits, as Pay-i's OpenAPI document defines them: `POST /api/v1/limits` (`CreateLimit`),
 * `GET /api/v1/limits` (`PaginatedCursorLimitList`), `GET/PUT/DELETE /api/v1/limits/{limit_id}`
 * (`LimitResponse`; `PUT` takes `UpdateLimit`: `max`, `limit_name`; `DELETE` answers `DefaultResponse`),
 * `POST /api/v1/limits/{limit_id}/reset[?resetDate=]` (`LimitHistoryResponse`: the totals up to the reset).
 */
export function limitRoutes(app: FastifyInstance, store: CollectorStore): void {
  const view = (l: LimitRow): Record<string, unknown> => limitView(l, store.limits.counts(l.limit_id));
  const one = (l: LimitRow): Record<string, unknown> => ({ request_id: requestId(), limit: view(l) });

  const createBody = {
    type: 'object',
    required: ['limit_name', 'max'],
    properties: {
      limit_name: { type: 'string', minLength: 1, maxLength: 256 },
      max: { type: 'number', minimum: 0 },
      limit_type: { type: 'string', enum: ['block', 'allow'] },
      threshold: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 1 },
      limit_id: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
      properties: { type: ['object', 'null'], additionalProperties: { type: ['string', 'null'] } },
    },
  };
  app.post<{ Body: LimitInput }>(LIMITS, { schema: { body: createBody } }, async (req) => {
    const created = store.limits.create(req.body);
    if (!created) throw new HttpError(400, 'already_exists', `a limit with id "${req.body.limit_id}" exists already`);
    return one(created);
  });

  const listQuery = { type: 'object', properties: { ...PAGE_QUERY, limit_name: { type: 'string' } } };
  app.get<{ Querystring: PageQuery & { limit_name?: string } }>(LIMITS, { schema: { querystring: listQuery } }, async (req) => {
    const all = store.limits.list().filter((l) => req.query.limit_name === undefined || l.limit_name === req.query.limit_name);
    return page(all.map(view), req.query);
  });

  app.get<IdParams>(`${LIMITS}/:id`, async (req) => {
    const l = store.limits.get(req.params.id);
    if (!l) throw notFound(req.params.id);
    return one(l);
  });

  const updateBody = { type: 'object', properties: { max: { type: ['number', 'null'], minimum: 0 }, limit_name: { type: ['string', 'null'], minLength: 1, maxLength: 256 } } };
  app.put<IdParams & { Body: { max?: number | null; limit_name?: string | null } }>(`${LIMITS}/:id`, { schema: { body: updateBody } }, async (req) => {
    const l = store.limits.update(req.params.id, req.body ?? {});
    if (!l) throw notFound(req.params.id);
    return one(l);
  });

  app.delete<IdParams>(`${LIMITS}/:id`, async (req) => {
    if (!store.limits.delete(req.params.id)) throw notFound(req.params.id);
    return { request_id: requestId(), message: `limit "${req.params.id}" deleted` };
  });

  const resetQuery = { type: 'object', properties: { resetDate: { type: 'string', format: 'date-time' } } };
  app.post<IdParams & { Querystring: { resetDate?: string } }>(`${LIMITS}/:id/reset`, { schema: { querystring: resetQuery } }, async (req) => {
    const before = store.limits.get(req.params.id);
    if (!before) throw notFound(req.params.id);
    const counts = store.limits.counts(before.limit_id);
    const at = req.query.resetDate ? new Date(req.query.resetDate).toISOString() : new Date().toISOString();
    store.limits.reset(before.limit_id, at);
    return { request_id: requestId(), message: `limit "${before.limit_id}" reset`, limit_history: limitHistoryView(before, counts, at) };
  });
}
