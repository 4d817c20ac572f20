import type Database from 'better-sqlite3';
import { whereOf, type EventFilter } from './dashboard/filter';

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
  limit: { key: 'x.limit_id', from: 'events e LEFT JOIN event_limits x ON x.event_id = e.id' },
  request_tag: { key: 'x.tag', from: 'events e LEFT JOIN event_tags x ON x.event_id = e.id' },
};

/**
 * The totals of a period, each request counted once (a report by limit or request tag counts a
 * request under each of its keys, so its rows can add up to more), and how many requests are
 * stored in all, so a caller can tell "nothing yet" from "nothing in this period".
 */
export interface CostSummary {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** Requests stored, whatever their time. */
  all_requests: number;
}

/**
 * {@link CostSummary} of a period.
 *
 * @example
 * ```ts
 * costSummary(db, { from: '2025-09-01T00:00:00Z' }); // { requests: 50, input_tokens: 51000, output_tokens: 9000, cost_usd: 0.0054, all_requests: 67 }
 * ```
 */
export function costSummary(db: Database.Database, filter: EventFilter = {}): CostSummary {
  const { sql: where, params } = whereOf(filter);
  const row = db
    .prepare(`SELECT count(*) AS requests, coalesce(sum(e.input_tokens), 0) AS input_tokens, coalesce(sum(e.output_tokens), 0) AS output_tokens,
      coalesce(sum(e.cost_total), 0) AS cost_usd FROM events e ${where}`)
    .get(...params) as Omit<CostSummary, 'all_requests'>;
  const all = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  return { ...row, cost_usd: Math.round(row.cost_usd * 1e12) / 1e12, all_requests: all };
}

/**
 * Cost drivers: requests, tokens and cost per use case, user, limit, account, resource or
 * request tag, most expensive first, for the events that pass `filter`. An event with two limits
 * (or tags) counts under each.
 *
 * @example
 * ```ts
 * costReport(db, 'use_case'); // [{ key: 'summarize', requests: 12, input_tokens: 5000, output_tokens: 800, cost_usd: 0.02 }, ...]
 * ```
 */
export function costReport(db: Database.Database, by: ReportDimension, filter: EventFilter = {}): CostReportRow[] {
  const s = SOURCES[by];
  const { sql: where, params } = whereOf(filter);
  const sql = `SELECT ${s.key} AS key, count(*) AS requests, sum(e.input_tokens) AS input_tokens,
      sum(e.output_tokens) AS output_tokens, sum(e.cost_total) AS cost_usd,
      sum(CASE WHEN e.usage_source = 'estimated' THEN 1 ELSE 0 END) AS estimated_requests
    FROM ${s.from} ${where}
    GROUP BY ${s.key} ORDER BY cost_usd DESC, requests DESC, key`;
  const rows = db.prepare(sql).all(...params) as CostReportRow[];
  return rows.map((r) => ({ ...r, cost_usd: Math.round(r.cost_usd * 1e12) / 1e12 }));
}
