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
  requests: number;
  limit_creation_timestamp: string;
  limit_update_timestamp: string;
  limit_reset_timestamp: string | null;
}

/** Fields of a new limit (wire names). */
export interface LimitInput {
  limit_name: string;
  max: number;
  limit_type?: 'block' | 'allow';
  threshold?: number | null;
  limit_id?: string;
}

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

/** The wire shape of a limit. */
export function limitView(l: LimitRow): Record<string, unknown> {
  return {
    limit_id: l.limit_id,
    limit_name: l.limit_name,
    limit_type: l.limit_type,
    max: l.max,
    ...(l.threshold !== null ? { threshold: l.threshold } : {}),
    state: limitState(l),
    totals: { cost: { currency: 'usd', total: { base: l.spend } }, requests: l.requests },
    limit_creation_timestamp: l.limit_creation_timestamp,
    limit_update_timestamp: l.limit_update_timestamp,
    ...(l.limit_reset_timestamp ? { limit_reset_timestamp: l.limit_reset_timestamp } : {}),
  };
}

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
  private readonly spendStmt;

  constructor(private readonly db: Database.Database) {
    this.getStmt = db.prepare('SELECT * FROM limits WHERE limit_id = ?');
    this.spendStmt = db.prepare('UPDATE limits SET spend = spend + ?, requests = requests + 1 WHERE limit_id = ? RETURNING *');
  }

  /** Creates a limit; `undefined` when `limit_id` is taken. */
  create(input: LimitInput, now = new Date().toISOString()): LimitRow | undefined {
    const id = input.limit_id ?? randomUUID();
    const r = this.db
      .prepare(
        `INSERT INTO limits (limit_id, limit_name, max, limit_type, threshold, limit_creation_timestamp, limit_update_timestamp)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(limit_id) DO NOTHING`,
      )
      .run(id, input.limit_name, input.max, input.limit_type ?? 'allow', input.threshold ?? null, now, now);
    return r.changes === 1 ? this.get(id) : undefined;
  }

  get(id: string): LimitRow | undefined {
    return this.getStmt.get(id) as LimitRow | undefined;
  }

  list(): LimitRow[] {
    return this.db.prepare('SELECT * FROM limits ORDER BY limit_creation_timestamp, limit_id').all() as LimitRow[];
  }

  /** Changes the fields given; `undefined` when there is no such limit. */
  update(id: string, fields: Partial<Omit<LimitInput, 'limit_id'>>, now = new Date().toISOString()): LimitRow | undefined {
    const cur = this.get(id);
    if (!cur) return undefined;
    const next = {
      limit_name: fields.limit_name ?? cur.limit_name,
      max: fields.max ?? cur.max,
      limit_type: fields.limit_type ?? cur.limit_type,
      threshold: fields.threshold === undefined ? cur.threshold : fields.threshold,
    };
    this.db
      .prepare('UPDATE limits SET limit_name = ?, max = ?, limit_type = ?, threshold = ?, limit_update_timestamp = ? WHERE limit_id = ?')
      .run(next.limit_name, next.max, next.limit_type, next.threshold, now, id);
    return this.get(id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM limits WHERE limit_id = ?').run(id).changes === 1;
  }

  /** Spend and request count back to 0; later events count from now on. */
  reset(id: string, now = new Date().toISOString()): LimitRow | undefined {
    const r = this.db.prepare('UPDATE limits SET spend = 0, requests = 0, limit_reset_timestamp = ?, limit_update_timestamp = ? WHERE limit_id = ?').run(now, now, id);
    return r.changes === 1 ? this.get(id) : undefined;
  }

  /** Adds one event's cost to a limit; the limit after it, or `undefined` for an unknown id. */
  addSpend(id: string, cost: number): LimitRow | undefined {
    return this.spendStmt.get(cost, id) as LimitRow | undefined;
  }

  /**
   * Recounts every limit's spend from the stored events (after `POST /api/v1/admin/recompute`):
   * the events carrying the limit id ingested since the limit was created or last reset.
   */
  recomputeSpend(): void {
    this.db.exec(`
      UPDATE limits SET
        spend = COALESCE((SELECT sum(e.cost_total) FROM event_limits el JOIN events e ON e.id = el.event_id
                 WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= COALESCE(limits.limit_reset_timestamp, limits.limit_creation_timestamp)), 0),
        requests = (SELECT count(*) FROM event_limits el JOIN events e ON e.id = el.event_id
                 WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= COALESCE(limits.limit_reset_timestamp, limits.limit_creation_timestamp))`);
  }
}
