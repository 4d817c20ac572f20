import type { FastifyInstance } from 'fastify';
import { recomputeCosts } from '../recompute';
import { costReport, costSummary, REPORT_DIMENSIONS, type ReportDimension } from '../report';
import type { CollectorStore } from '../store';

/**
 * `GET /api/v1/reports/cost?by=use_case|user|limit|account|resource|request_tag[&from=ISO][&to=ISO]`
 * (cost drivers, most expensive first) and `POST /api/v1/admin/recompute` (price every stored
 * event again with the current price table), and `GET /api/v1/reports/summary[?from&to]` (the
 * period's totals, each request once, and the number of requests stored in all). Extensions of ours:
 * the Pay-i OpenAPI document defines none of these paths.
 */
export function reportRoutes(app: FastifyInstance, store: CollectorStore): void {
  const query = {
    type: 'object',
    properties: {
      by: { type: 'string', enum: [...REPORT_DIMENSIONS], default: 'use_case' },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
    },
  };
  app.get<{ Querystring: { by: ReportDimension; from?: string; to?: string } }>('/api/v1/reports/cost', { schema: { querystring: query } }, async (req) =>
    costReport(store.db, req.query.by, { from: req.query.from, to: req.query.to }),
  );

  const periodQuery = { type: 'object', properties: { from: query.properties.from, to: query.properties.to } };
  app.get<{ Querystring: { from?: string; to?: string } }>('/api/v1/reports/summary', { schema: { querystring: periodQuery } }, async (req) =>
    costSummary(store.db, { from: req.query.from, to: req.query.to }),
  );

  app.post('/api/v1/admin/recompute', async () => recomputeCosts(store));
}
