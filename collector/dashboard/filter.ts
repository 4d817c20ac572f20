/**
 * The dashboard's filters, as one SQL `WHERE` over `events e`: every given filter must hold (they
 * combine with AND). Shared by the cost report, the time series, the request list and the totals.
 */
export interface EventFilter {
  /** `event_timestamp` from (included), ISO 8601. */
  from?: string;
  /** `event_timestamp` before (excluded), ISO 8601. */
  to?: string;
  use_case?: string;
  user?: string;
  account?: string;
  /** A limit id the event counts against. */
  limit?: string;
  /** The event's resource (model). */
  model?: string;
}

/** The filter names, as query parameters. */
export const FILTER_NAMES = ['from', 'to', 'use_case', 'user', 'account', 'limit', 'model'] as const;

/** JSON-schema properties of the filter query parameters (for fastify's querystring schemas). */
export const FILTER_QUERY_PROPERTIES = {
  from: { type: 'string', format: 'date-time' },
  to: { type: 'string', format: 'date-time' },
  use_case: { type: 'string', minLength: 1 },
  user: { type: 'string', minLength: 1 },
  account: { type: 'string', minLength: 1 },
  limit: { type: 'string', minLength: 1 },
  model: { type: 'string', minLength: 1 },
} as const;

const COLUMN: Record<Exclude<keyof EventFilter, 'from' | 'to' | 'limit'>, string> = {
  use_case: 'e.use_case_name',
  user: 'e.user_id',
  account: 'e.account_name',
  model: 'e.resource',
};

/**
 * `{ sql, params }` of the filter: `sql` is `''` or `WHERE ...` over the alias `e`.
 *
 * @example
 * ```ts
 * whereOf({ user: 'ann', from: '2025-09-01T00:00:00Z' }); // { sql: 'WHERE e.event_timestamp >= ? AND e.user_id = ?', params: [...] }
 * ```
 */
export function whereOf(filter: EventFilter): { sql: string; params: string[] } {
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
  for (const name of ['use_case', 'user', 'account', 'model'] as const) {
    const v = filter[name];
    if (v === undefined) continue;
    where.push(`${COLUMN[name]} = ?`);
    params.push(v);
  }
  if (filter.limit !== undefined) {
    where.push('EXISTS (SELECT 1 FROM event_limits f WHERE f.event_id = e.id AND f.limit_id = ?)');
    params.push(filter.limit);
  }
  return { sql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** The filter fields of a parsed query (unknown keys dropped). */
export function filterOf(query: Record<string, unknown>): EventFilter {
  const f: EventFilter = {};
  for (const name of FILTER_NAMES) {
    const v = query[name];
    if (typeof v === 'string' && v !== '') f[name] = v;
  }
  return f;
}
