import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { LimitStateName } from 'payi-instrument';

/** A limit as stored. */
export interface LimitRow {
  limit_id: string;
  limit_name: string;
  max: number;
  limit_type: 'block' | 'allow';
  threshold: number | null;
  spend: number;
  spend_input: number;
  spend_output: number;
  requests: number;
  properties_json: string | null;
  limit_creation_timestamp: string;
  limit_update_timestamp: string;
  limit_reset_timestamp: string | null;
}

/** Fields of a new limit (`CreateLimit` of the spec). */
export interface LimitInput {
  limit_name: string;
  max: number;
  limit_type?: 'block' | 'allow';
  threshold?: number | null;
  limit_id?: string | null;
  properties?: Record<string, string | null> | null;
}

/** The six limit states of the spec (`LimitStatus`); the collector never gives `blocked_external` (no external budget source). */
export const LIMIT_STATES = ['ok', 'blocked', 'blocked_external', 'exceeded', 'overrun', 'failed'] as const;

/** One of {@link LIMIT_STATES}. */
export type LimitState = (typeof LIMIT_STATES)[number];

/** Requests per state since the limit was created or last reset (`RequestsData`). */
export type RequestCounts = Record<LimitState | 'total', number>;

/**
 * The state of a limit from its spend (docs/collector.md, "Limit states"):
 * `blocked` (a `block` limit whose spend reached `max`), `exceeded` (an `allow` limit whose spend
 * reached `max`), `overrun` (spend reached `threshold × max` but not `max`), else `ok`.
 *
 * @example `limitState({ max: 10, limit_type: 'block', threshold: 0.8, spend: 9 }) === 'overrun'`
 */
export function limitState(l: Pick<LimitRow, 'max' | 'limit_type' | 'threshold' | 'spend'>): LimitStateName {
  if (l.spend >= l.max) return l.limit_type === 'block' ? 'blocked' : 'exceeded';
  if (l.threshold !== null && l.threshold !== undefined && l.spend >= l.threshold * l.max) return 'overrun';
  return 'ok';
}

/** `TotalCostData`: spend by side (USD) and requests by state. */
export function limitTotals(l: LimitRow, counts: RequestCounts): Record<string, unknown> {
  return {
    cost: { input: { base: l.spend_input }, output: { base: l.spend_output }, total: { base: l.spend } },
    requests: counts,
  };
}

/** The spec's `Limit`: what `GET /api/v1/limits/{id}` answers under `limit` (no state: a client derives it from `max`, `threshold`, `limit_type` and `totals`). */
export function limitView(l: LimitRow, counts: RequestCounts): Record<string, unknown> {
  return {
    limit_id: l.limit_id,
    limit_name: l.limit_name,
    max: l.max,
    ...(l.threshold !== null ? { threshold: l.threshold } : {}),
    limit_type: l.limit_type,
    limit_creation_timestamp: l.limit_creation_timestamp,
    totals: limitTotals(l, counts),
    limit_update_timestamp: l.limit_update_timestamp,
  };
}

/** The spec's `LimitHistory`: a limit's totals up to a reset. */
export function limitHistoryView(before: LimitRow, counts: RequestCounts, resetAt: string): Record<string, unknown> {
  return {
    limit_id: before.limit_id,
    limit_name: before.limit_name,
    limit_reset_timestamp: resetAt,
    limit_type: before.limit_type,
    max: before.max,
    totals: limitTotals(before, counts),
  };
}

const SINCE = 'COALESCE(limits.limit_reset_timestamp, limits.limit_creation_timestamp)';

/**
 * Limits in SQLite: CRUD, reset, and spend counted per event.
 *
 * @example
 * ```ts
 * const limits = new LimitsRepo(db);
 * limits.create({ limit_name: 'daily', max: 5, limit_type: 'block' });
 * ```
 */
export class LimitsRepo {
  private readonly getStmt;
  private readonly countsStmt;
  private readonly recountStmt;
  private readonly setSpendStmt;

  constructor(private readonly db: Database.Database) {
    this.getStmt = db.prepare('SELECT * FROM limits WHERE limit_id = ?');
    this.setSpendStmt = db.prepare('UPDATE limits SET spend = ?, spend_input = ?, spend_output = ?, requests = ? WHERE limit_id = ?');
    this.countsStmt = db.prepare(
      `SELECT el.state AS state, count(*) AS n FROM limits JOIN event_limits el ON el.limit_id = limits.limit_id JOIN events e ON e.id = el.event_id
       WHERE limits.limit_id = ? AND e.ingest_timestamp >= ${SINCE} GROUP BY el.state`,
    );
    this.recountStmt = db.prepare(`
      UPDATE limits SET
        spend = COALESCE((SELECT sum(e.cost_total) FROM event_limits el JOIN events e ON e.id = el.event_id WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= ${SINCE}), 0),
        spend_input = COALESCE((SELECT sum(e.cost_input) FROM event_limits el JOIN events e ON e.id = el.event_id WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= ${SINCE}), 0),
        spend_output = COALESCE((SELECT sum(e.cost_output) FROM event_limits el JOIN events e ON e.id = el.event_id WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= ${SINCE}), 0),
        requests = (SELECT count(*) FROM event_limits el JOIN events e ON e.id = el.event_id WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= ${SINCE})
      WHERE limit_id = ? OR ? IS NULL`);
  }

  /** Creates a limit; `undefined` when `limit_id` is taken. */
  create(input: LimitInput, now = new Date().toISOString()): LimitRow | undefined {
    const id = input.limit_id ?? randomUUID();
    const r = this.db
      .prepare(
        `INSERT INTO limits (limit_id, limit_name, max, limit_type, threshold, properties_json, limit_creation_timestamp, limit_update_timestamp)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(limit_id) DO NOTHING`,
      )
      .run(id, input.limit_name, input.max, input.limit_type ?? 'allow', input.threshold ?? null, input.properties ? JSON.stringify(input.properties) : null, now, now);
    return r.changes === 1 ? this.get(id) : undefined;
  }

  get(id: string): LimitRow | undefined {
    return this.getStmt.get(id) as LimitRow | undefined;
  }

  list(): LimitRow[] {
    return this.db.prepare('SELECT * FROM limits ORDER BY limit_creation_timestamp, limit_id').all() as LimitRow[];
  }

  /** Requests per state since the limit was created or last reset. */
  counts(id: string): RequestCounts {
    const out = Object.fromEntries([...LIMIT_STATES, 'total'].map((s) => [s, 0])) as RequestCounts;
    for (const r of this.countsStmt.all(id) as { state: string | null; n: number }[]) {
      const state = (LIMIT_STATES as readonly string[]).includes(r.state ?? '') ? (r.state as LimitState) : 'ok';
      out[state] += r.n;
      out.total += r.n;
    }
    return out;
  }

  /** Changes the name or max (`UpdateLimit`); `undefined` when there is no such limit. */
  update(id: string, fields: { limit_name?: string | null; max?: number | null }, now = new Date().toISOString()): LimitRow | undefined {
    const cur = this.get(id);
    if (!cur) return undefined;
    this.db
      .prepare('UPDATE limits SET limit_name = ?, max = ?, limit_update_timestamp = ? WHERE limit_id = ?')
      .run(fields.limit_name ?? cur.limit_name, fields.max ?? cur.max, now, id);
    return this.get(id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM limits WHERE limit_id = ?').run(id).changes === 1;
  }

  /** Counts spend and requests from `at` on (default now: back to 0); `undefined` when there is no such limit. */
  reset(id: string, at = new Date().toISOString(), now = new Date().toISOString()): LimitRow | undefined {
    const r = this.db.prepare('UPDATE limits SET limit_reset_timestamp = ?, limit_update_timestamp = ? WHERE limit_id = ?').run(at, now, id);
    if (r.changes !== 1) return undefined;
    this.recountStmt.run(id, id);
    return this.get(id);
  }

  /** A {@link SpendBatch} for the events of one transaction. */
  spendBatch(): SpendBatch {
    return new SpendBatch(this, this.setSpendStmt);
  }

  /** Recounts one limit's spend and requests from the stored events (after an event was replaced). */
  recount(id: string): void {
    this.recountStmt.run(id, id);
  }

  /**
   * Recounts every limit's spend from the stored events (after `POST /api/v1/admin/recompute`):
   * the events carrying the limit id ingested since the limit was created or last reset.
   */
  recomputeSpend(): void {
    this.recountStmt.run(null, null);
  }
}

/** One event's cost, as added to a limit's spend (USD). */
export interface EventSpend {
  input: number;
  output: number;
  total: number;
}

/**
 * The spend of the events of one ingest transaction: each limit is read once, each event's cost
 * added to it in memory (the same additions in the same order as one `UPDATE` per event, so the
 * same sums), and each limit written once by {@link SpendBatch.flush}. Used inside the transaction
 * only (better-sqlite3's are synchronous: nothing else writes meanwhile), and flushed before the
 * transaction ends or anything else there reads or recounts limits.
 *
 * @example
 * ```ts
 * db.transaction(() => {
 *   const spend = limits.spendBatch();
 *   const after = spend.add('team', { input: 0.01, output: 0.02, total: 0.03 }); // the limit with this event counted
 *   spend.flush();
 * })();
 * ```
 */
export class SpendBatch {
  /** Limits read so far, with the spend added since; null for an id that names no limit. */
  private readonly rows = new Map<string, LimitRow | null>();

  constructor(
    private readonly limits: LimitsRepo,
    private readonly setSpend: Database.Statement,
  ) {}

  /** Adds one event's cost to a limit; the limit after it (read it before the next `add`), or `undefined` for an unknown id. */
  add(id: string, cost: EventSpend): LimitRow | undefined {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.limits.get(id) ?? null;
      this.rows.set(id, row);
    }
    if (row === null) return undefined;
    row.spend += cost.total;
    row.spend_input += cost.input;
    row.spend_output += cost.output;
    row.requests += 1;
    return row;
  }

  /** Writes the spend added so far and forgets what was read. */
  flush(): void {
    for (const row of this.rows.values()) if (row) this.setSpend.run(row.spend, row.spend_input, row.spend_output, row.requests, row.limit_id);
    this.rows.clear();
  }
}
