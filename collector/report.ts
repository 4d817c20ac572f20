import type Database from 'better-sqlite3';

/** The dimensions of the cost-drivers report. */
export const REPORT_DIMENSIONS = ['use_case', 'user', 'limit', 'account', 'resource', 'request_tag'] as const;

/** One dimension of the cost-drivers report. */
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/**
 * One line of the cost-drivers report. `key` is `null` for events without that dimension
 * (no use case, no user, ...). `input_tokens` / `output_tokens` sum the `input` / `output` of every unit.
 */
export interface CostReportRow {
  key: string | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** How many of `requests` had usage estimated by the SDK (an abandoned stream), not reported by the provider. */
  estimated_requests: number;
}

const SOURCES: Record<ReportDimension, { key: string; from: string }> = {
  use_case: { key: 'e.use_case_name', from: 'events e' },
  user: { key: 'e.user_id', from: 'events e' },
  account: { key: 'e.account_name', from: 'events e' },
  resource: { key: 'e.resource', from: 'events e' },
  limit: { key: 'x.limit_id', from: 'event_limits x JOIN events e ON e.id = x.event_id' },
  request_tag: { key: 'x.tag', from: 'event_tags x JOIN events e ON e.id = x.event_id' },
};

/**
 * Cost drivers: requests, tokens and cost per use case, user, limit, account, resource or
 * request tag, most expensive first. An event with two limits (or tags) counts under each.
 *
 * @example
 * ```ts
 * costReport(db, 'use_case'); // [{ key: 'summarize', requests: 12, input_tokens: 5000, output_tokens: 800, cost_usd: 0.02 }, ...]
 * ```
 */
export function costReport(db: Database.Database, by: ReportDimension, filter: { from?: string; to?: string } = {}): CostReportRow[] {
  const s = SOURCES[by];
  const where: string[] = [];
  const params: string[] = [];
  if (filter.from) {
    where.push('e.event_timestamp >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    where.push('e.event_timestamp < ?');
    params.push(filter.to);
  }
  const sql = `SELECT ${s.key} AS key, count(*) AS requests, sum(e.input_tokens) AS input_tokens,
      sum(e.output_tokens) AS output_tokens, sum(e.cost_total) AS cost_usd,
      sum(CASE WHEN e.usage_source = 'estimated' THEN 1 ELSE 0 END) AS estimated_requests
    FROM ${s.from} ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''}
    GROUP BY ${s.key} ORDER BY cost_usd DESC, requests DESC, key`;
  const rows = db.prepare(sql).all(...params) as CostReportRow[];
  return rows.map((r) => ({ ...r, cost_usd: Math.round(r.cost_usd * 1e12) / 1e12 }));
}
