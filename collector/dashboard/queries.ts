import type Database from 'better-sqlite3';
import { limitState } from '../db/limits';
import { whereOf, type EventFilter } from './filter';

/** Breakdowns of the time series: which key each bar segment is. */
export const SERIES_DIMENSIONS = ['use_case', 'user', 'model', 'limit', 'account'] as const;
/** A breakdown of the time series. */
export type SeriesDimension = (typeof SERIES_DIMENSIONS)[number];

const KEY: Record<SeriesDimension, { key: string; from: string }> = {
  use_case: { key: 'e.use_case_name', from: 'events e' },
  user: { key: 'e.user_id', from: 'events e' },
  model: { key: 'e.resource', from: 'events e' },
  account: { key: 'e.account_name', from: 'events e' },
  limit: { key: 'x.limit_id', from: 'events e LEFT JOIN event_limits x ON x.event_id = e.id' },
};

/** One time bucket: its start and, per key, cost and counts. `key` is `null` for events without one. */
export interface SeriesBucket {
  /** Bucket start, ISO 8601 (`2025-09-01T13:00:00.000Z` by hour, `2025-09-01T00:00:00.000Z` by day). */
  start: string;
  values: { key: string | null; cost_usd: number; requests: number; input_tokens: number; output_tokens: number }[];
}

/**
 * Cost and tokens over time in hour or day buckets, broken down by `by`, for the events that pass
 * `filter`. Keys beyond the `top` most expensive of the period are summed as `other`.
 *
 * @example
 * ```ts
 * timeSeries(db, { from: '2025-09-01T00:00:00Z' }, 'day', 'use_case'); // { bucket: 'day', keys: ['chat', ...], buckets: [...] }
 * ```
 */
export function timeSeries(db: Database.Database, filter: EventFilter, bucket: 'hour' | 'day', by: SeriesDimension, top = 6): { bucket: 'hour' | 'day'; keys: (string | null)[]; buckets: SeriesBucket[] } {
  const k = KEY[by];
  const { sql: where, params } = whereOf(filter);
  const len = bucket === 'hour' ? 13 : 10;
  const rows = db
    .prepare(
      `SELECT substr(e.event_timestamp, 1, ${len}) AS b, ${k.key} AS key, sum(e.cost_total) AS cost_usd, count(*) AS requests,
        sum(e.input_tokens) AS input_tokens, sum(e.output_tokens) AS output_tokens
      FROM ${k.from} ${where} GROUP BY b, key ORDER BY b`,
    )
    .all(...params) as { b: string; key: string | null; cost_usd: number; requests: number; input_tokens: number; output_tokens: number }[];
  const totals = new Map<string | null, number>();
  for (const r of rows) totals.set(r.key, (totals.get(r.key) ?? 0) + r.cost_usd);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).map(([key]) => key);
  const kept = new Set(ranked.slice(0, top));
  const hasOther = ranked.length > top;
  const buckets = new Map<string, Map<string | null, SeriesBucket['values'][number]>>();
  for (const r of rows) {
    const key = kept.has(r.key) ? r.key : 'other';
    const start = bucket === 'hour' ? `${r.b}:00:00.000Z` : `${r.b}T00:00:00.000Z`;
    let values = buckets.get(start);
    if (!values) buckets.set(start, (values = new Map()));
    const v = values.get(key) ?? { key, cost_usd: 0, requests: 0, input_tokens: 0, output_tokens: 0 };
    v.cost_usd = round(v.cost_usd + r.cost_usd);
    v.requests += r.requests;
    v.input_tokens += r.input_tokens;
    v.output_tokens += r.output_tokens;
    values.set(key, v);
  }
  return {
    bucket,
    keys: [...ranked.slice(0, top), ...(hasOther ? ['other'] : [])],
    buckets: [...buckets.entries()].map(([start, values]) => ({ start, values: [...values.values()] })),
  };
}

/** One line of the request list. */
export interface RequestListItem {
  request_id: string;
  event_timestamp: string;
  category: string;
  resource: string;
  use_case_name: string | null;
  user_id: string | null;
  account_name: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  end_to_end_latency_ms: number | null;
  http_status_code: number | null;
  stream_outcome: string | null;
  usage_source: string | null;
}

const PROPERTY = (name: string): string => `json_extract(e.properties_json, '$."${name}"')`;

/**
 * The requests that pass `filter`, newest first, `limit` at a time from `offset`, with the total count.
 *
 * @example
 * ```ts
 * requestList(db, { user: 'ann' }, 50, 0); // { total: 120, items: [...] }
 * ```
 */
export function requestList(db: Database.Database, filter: EventFilter, limit: number, offset: number): { total: number; items: RequestListItem[] } {
  const { sql: where, params } = whereOf(filter);
  const total = (db.prepare(`SELECT count(*) AS n FROM events e ${where}`).get(...params) as { n: number }).n;
  const items = db
    .prepare(
      `SELECT e.request_id, e.event_timestamp, e.category, e.resource, e.use_case_name, e.user_id, e.account_name, e.input_tokens,
        e.output_tokens, e.cost_total AS cost_usd, e.end_to_end_latency_ms, e.http_status_code,
        ${PROPERTY('system.stream_outcome')} AS stream_outcome, ${PROPERTY('system.usage_source')} AS usage_source
      FROM events e ${where} ORDER BY e.event_timestamp DESC, e.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...params, limit, offset) as RequestListItem[];
  return { total, items };
}

/** A limit as the dashboard shows it: its budget, spend and state; `defined: false` for ids events carry that no limit was created for. */
export interface LimitGauge {
  limit_id: string;
  limit_name: string | null;
  defined: boolean;
  max: number | null;
  limit_type: string | null;
  threshold: number | null;
  spend_usd: number;
  requests: number;
  state: string | null;
  /** Spend as a share of `max` (may exceed 1), `null` without a max. */
  used: number | null;
}

/**
 * Every defined limit, and every limit id seen on events without a definition, with spend and state.
 *
 * @example
 * ```ts
 * limitGauges(db); // [{ limit_id: 'team', max: 50, spend_usd: 12.5, state: 'ok', used: 0.25, ... }]
 * ```
 */
export function limitGauges(db: Database.Database): LimitGauge[] {
  const defined = db.prepare('SELECT limit_id, limit_name, max, limit_type, threshold, spend, requests FROM limits').all() as {
    limit_id: string; limit_name: string; max: number; limit_type: 'block' | 'allow'; threshold: number | null; spend: number; requests: number;
  }[];
  const seen = db
    .prepare('SELECT x.limit_id, sum(e.cost_total) AS spend, count(*) AS requests FROM event_limits x JOIN events e ON e.id = x.event_id WHERE x.limit_id NOT IN (SELECT limit_id FROM limits) GROUP BY x.limit_id')
    .all() as { limit_id: string; spend: number; requests: number }[];
  const out: LimitGauge[] = defined.map((l) => ({
    limit_id: l.limit_id, limit_name: l.limit_name, defined: true, max: l.max, limit_type: l.limit_type, threshold: l.threshold,
    spend_usd: round(l.spend), requests: l.requests, state: limitState(l), used: l.max > 0 ? l.spend / l.max : null,
  }));
  for (const s of seen) out.push({ limit_id: s.limit_id, limit_name: null, defined: false, max: null, limit_type: null, threshold: null, spend_usd: round(s.spend), requests: s.requests, state: null, used: null });
  return out.sort((a, b) => (b.used ?? -1) - (a.used ?? -1) || b.spend_usd - a.spend_usd);
}

/**
 * The values each filter can take (with request counts), for the filter menus.
 *
 * @example
 * ```ts
 * facets(db).user; // [{ value: 'ann', requests: 12 }, ...]
 * ```
 */
export function facets(db: Database.Database): Record<'use_case' | 'user' | 'account' | 'limit' | 'model', { value: string; requests: number }[]> {
  const of = (sql: string): { value: string; requests: number }[] => db.prepare(sql).all() as { value: string; requests: number }[];
  const col = (c: string): { value: string; requests: number }[] => of(`SELECT ${c} AS value, count(*) AS requests FROM events WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY requests DESC, value LIMIT 500`);
  return {
    use_case: col('use_case_name'),
    user: col('user_id'),
    account: col('account_name'),
    model: col('resource'),
    limit: of(`SELECT l.limit_id AS value, (SELECT count(*) FROM event_limits x WHERE x.limit_id = l.limit_id) AS requests
      FROM (SELECT limit_id FROM event_limits UNION SELECT limit_id FROM limits) l ORDER BY requests DESC, value LIMIT 500`),
  };
}

const JSON_COLUMNS = {
  units_json: 'units', unknown_units_json: 'unknown_units', limit_ids_json: 'limit_ids', request_tags_json: 'request_tags',
  properties_json: 'properties', use_case_properties_json: 'use_case_properties', function_calls_json: 'provider_response_function_calls',
  request_headers_json: 'provider_request_headers', response_headers_json: 'provider_response_headers',
} as const;
const PLAIN_COLUMNS = [
  'request_id', 'provider_response_id', 'source', 'category', 'resource', 'event_timestamp', 'ingest_timestamp', 'http_status_code',
  'end_to_end_latency_ms', 'time_to_first_token_ms', 'use_case_name', 'use_case_id', 'use_case_version', 'use_case_step', 'user_id',
  'account_name', 'resource_scope', 'provider_uri', 'input_tokens', 'output_tokens', 'cost_input', 'cost_output', 'cost_total',
  'price_version', 'provider_request_json', 'provider_response_json', 'usage_source', 'time_to_first_completion_token_ms', 'instrumented_module',
] as const;

/**
 * One stored request in full, for the dashboard's detail view: attribution, units, cost, latency,
 * properties (stream outcome, usage source) and the prompt and response when its use case logs
 * them (they are stored only then). `undefined` for an unknown id. Absent values are left out.
 *
 * @example
 * ```ts
 * requestDetail(db, '5f0c...')?.cost_total;
 * ```
 */
export function requestDetail(db: Database.Database, requestId: string): Record<string, unknown> | undefined {
  const row = db.prepare('SELECT * FROM events WHERE request_id = ?').get(requestId) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const out: Record<string, unknown> = {};
  for (const c of PLAIN_COLUMNS) if (row[c] !== null && row[c] !== undefined) out[c] = row[c];
  for (const [c, name] of Object.entries(JSON_COLUMNS)) if (typeof row[c] === 'string') out[name] = JSON.parse(row[c] as string);
  return out;
}

function round(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}
