import type { FastifyInstance } from 'fastify';
import { recomputeCosts } from '../recompute';
import { FILTER_QUERY_PROPERTIES, filterOf } from '../dashboard/filter';
import { costReport, costSummary, REPORT_DIMENSIONS, type ReportDimension } from '../report';
import type { CollectorStore } from '../store';

/**
 * `GET /api/v1/reports/cost?by=use_case|user|limit|account|resource|request_tag[&from&to&use_case&user&account&limit&model]`
 * (cost drivers, most expensive first) and `POST /api/v1/admin/recompute` (price every stored
 * event again with the current price table), and `GET /api/v1/reports/summary[?filters]` (the
 * period's totals, each request once, and the number of requests stored in all). Extensions of ours:
 * the Pay-i OpenAPI document defines none of these paths.
 */
export function reportRoutes(app: FastifyInstance, store: CollectorStore): void {
  const query = { type: 'object', properties: { by: { type: 'string', enum: [...REPORT_DIMENSIONS], default: 'use_case' }, ...FILTER_QUERY_PROPERTIES } };
  app.get<{ Querystring: { by: ReportDimension } & Record<string, string> }>('/api/v1/reports/cost', { schema: { querystring: query } }, async (req) =>
    costReport(store.db, req.query.by, filterOf(req.query)),
  );

  const filterQuery = { type: 'object', properties: FILTER_QUERY_PROPERTIES };
  app.get<{ Querystring: Record<string, string> }>('/api/v1/reports/summary', { schema: { querystring: filterQuery } }, async (req) => costSummary(store.db, filterOf(req.query)));

  app.post('/api/v1/admin/recompute', async () => recomputeCosts(store));
}
