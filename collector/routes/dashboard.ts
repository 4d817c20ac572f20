import type { FastifyInstance } from 'fastify';
import { FILTER_QUERY_PROPERTIES, filterOf } from '../dashboard/filter';
import { facets, limitGauges, requestDetail, requestList, SERIES_DIMENSIONS, timeSeries, type SeriesDimension } from '../dashboard/queries';
import { HttpError } from '../http/errors';
import type { CollectorStore } from '../store';

/**
 * The JSON API behind the dashboard (extensions of ours; docs/collector.md, "Dashboard API"). Every
 * list takes the filters `from`, `to`, `use_case`, `user`, `account`, `limit`, `model`, combined:
 * - `GET /api/v1/dashboard/timeseries?bucket=hour|day&by=use_case|user|model|limit|account`
 * - `GET /api/v1/dashboard/requests?page_size=50&offset=0` and `GET /api/v1/dashboard/requests/{request_id}`
 * - `GET /api/v1/dashboard/limits` (defined limits and limit ids seen on events, with spend and state)
 * - `GET /api/v1/dashboard/facets` (the values of each filter)
 */
export function dashboardRoutes(app: FastifyInstance, store: CollectorStore): void {
  const series = {
    type: 'object',
    properties: { bucket: { type: 'string', enum: ['hour', 'day'], default: 'day' }, by: { type: 'string', enum: [...SERIES_DIMENSIONS], default: 'use_case' }, ...FILTER_QUERY_PROPERTIES },
  };
  app.get<{ Querystring: { bucket: 'hour' | 'day'; by: SeriesDimension } & Record<string, string> }>('/api/v1/dashboard/timeseries', { schema: { querystring: series } }, async (req) =>
    timeSeries(store.db, filterOf(req.query), req.query.bucket, req.query.by),
  );

  const list = {
    type: 'object',
    // query strings are not coerced (the collector's ajv keeps types strict), so whole numbers are patterns
    properties: { page_size: { type: 'string', pattern: '^(?:[1-9]\\d?|[1-4]\\d\\d|500)$', default: '50' }, offset: { type: 'string', pattern: '^\\d{1,9}$', default: '0' }, ...FILTER_QUERY_PROPERTIES },
  };
  app.get<{ Querystring: { page_size: string; offset: string } & Record<string, string> }>('/api/v1/dashboard/requests', { schema: { querystring: list } }, async (req) =>
    requestList(store.db, filterOf(req.query), Number(req.query.page_size), Number(req.query.offset)),
  );
  app.get<{ Params: { id: string } }>('/api/v1/dashboard/requests/:id', async (req) => {
    const detail = requestDetail(store.db, req.params.id);
    if (!detail) throw new HttpError(404, 'not_found', `no request with id "${req.params.id}"`);
    return detail;
  });

  app.get('/api/v1/dashboard/limits', async () => limitGauges(store.db));
  app.get('/api/v1/dashboard/facets', async () => facets(store.db));
}
