import type { FastifyInstance } from 'fastify';
import { recomputeCosts } from '../recompute';
import { costReport, REPORT_DIMENSIONS, type ReportDimension } from '../report';
import type { CollectorStore } from '../store';

/**
 * `GET /api/v1/reports/cost?by=use_case|user|limit|account|resource|request_tag[&from=ISO][&to=ISO]`
 * (cost drivers, most expensive first) and `POST /api/v1/admin/recompute` (price every stored
 * event again with the current price table).
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

  app.post('/api/v1/admin/recompute', async () => recomputeCosts(store));
}
