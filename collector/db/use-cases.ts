import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

/** A use case definition as stored. */
export interface DefinitionRow {
  name: string;
  description: string | null;
  logging_enabled: number;
  version: number;
  created_by: 'api' | 'event';
  create_timestamp: string;
  update_timestamp: string;
  limit_config_json: string | null;
}

/** A KPI definition as stored. */
export interface KpiRow {
  use_case_name: string;
  kpi_name: string;
  description: string | null;
  kpi_type: string;
  goal: number;
  create_timestamp: string;
  update_timestamp: string | null;
}

/** The fields of a KPI definition (`CreateKpiRequest`). */
export interface KpiInput {
  name: string;
  description: string;
  kpi_type: string;
  goal: number;
}

/** The description a definition gets when an event created it (the spec requires one). */
export const EVENT_CREATED_DESCRIPTION = 'created by the collector when an event named this use case';

/**
 * The spec's `UseCaseDefinitionResponse` (without `request_id`): `name`, `description`,
 * `logging_enabled`, `limit_config` (when set) and `type_version`.
 */
export function definitionView(d: DefinitionRow): Record<string, unknown> {
  return {
    name: d.name,
    description: d.description ?? EVENT_CREATED_DESCRIPTION,
    logging_enabled: d.logging_enabled === 1,
    ...(d.limit_config_json ? { limit_config: JSON.parse(d.limit_config_json) as unknown } : {}),
    type_version: d.version,
  };
}

/** The spec's `KpiResponse` (without `request_id`). */
export function kpiView(k: KpiRow): Record<string, unknown> {
  return {
    name: k.kpi_name,
    description: k.description ?? k.kpi_name,
    kpi_type: k.kpi_type,
    goal: k.goal,
    created_timestamp: k.create_timestamp,
    ...(k.update_timestamp ? { updated_timestamp: k.update_timestamp } : {}),
  };
}

/**
 * Use case definitions, instances and KPIs in SQLite.
 *
 * @example
 * ```ts
 * const useCases = new UseCasesRepo(db);
 * useCases.createDefinition({ name: 'summarize', logging_enabled: true });
 * ```
 */
export class UseCasesRepo {
  private readonly ensureStmt;
  private readonly getStmt;
  private readonly ensureInstanceStmt;
  /** Logging flag per definition name, as this process last wrote or read it (this repo is the only writer). */
  private readonly logging = new Map<string, boolean>();
  /** Instance ids recorded lately, to skip repeated inserts. */
  private readonly instances = new Set<string>();

  constructor(private readonly db: Database.Database) {
    this.ensureStmt = db.prepare(
      `INSERT INTO use_case_definitions (name, logging_enabled, version, created_by, create_timestamp, update_timestamp)
       VALUES (?, 0, 1, 'event', ?, ?) ON CONFLICT(name) DO NOTHING`,
    );
    this.getStmt = db.prepare('SELECT * FROM use_case_definitions WHERE name = ?');
    this.ensureInstanceStmt = db.prepare('INSERT INTO use_case_instances (use_case_id, use_case_name, create_timestamp) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  }

  /** Whether `name`'s prompts are logged, creating its definition with logging off when there is none (an event named it). */
  ensureDefinition(name: string, now: string): boolean {
    const known = this.logging.get(name);
    if (known !== undefined) return known;
    this.ensureStmt.run(name, now, now);
    const on = (this.getStmt.get(name) as DefinitionRow).logging_enabled === 1;
    if (this.logging.size > 10_000) this.logging.clear();
    this.logging.set(name, on);
    return on;
  }

  /** Creates a definition; `undefined` when the name is taken. */
  createDefinition(
    f: { name: string; description?: string; logging_enabled?: boolean | null; limit_config?: Record<string, unknown> | null },
    now = new Date().toISOString(),
  ): DefinitionRow | undefined {
    const r = this.db
      .prepare(
        `INSERT INTO use_case_definitions (name, description, logging_enabled, version, created_by, create_timestamp, update_timestamp, limit_config_json)
         VALUES (?, ?, ?, 1, 'api', ?, ?, ?) ON CONFLICT(name) DO NOTHING`,
      )
      .run(f.name, f.description ?? null, f.logging_enabled ? 1 : 0, now, now, f.limit_config ? JSON.stringify(f.limit_config) : null);
    this.logging.delete(f.name);
    return r.changes === 1 ? this.getDefinition(f.name) : undefined;
  }

  getDefinition(name: string): DefinitionRow | undefined {
    return this.getStmt.get(name) as DefinitionRow | undefined;
  }

  listDefinitions(): DefinitionRow[] {
    return this.db.prepare('SELECT * FROM use_case_definitions ORDER BY name').all() as DefinitionRow[];
  }

  updateDefinition(name: string, f: { description?: string | null; logging_enabled?: boolean | null }, now = new Date().toISOString()): DefinitionRow | undefined {
    const cur = this.getDefinition(name);
    if (!cur) return undefined;
    const logging = f.logging_enabled === undefined || f.logging_enabled === null ? cur.logging_enabled : f.logging_enabled ? 1 : 0;
    this.logging.delete(name);
    this.db
      .prepare('UPDATE use_case_definitions SET description = ?, logging_enabled = ?, update_timestamp = ? WHERE name = ?')
      .run(f.description ?? cur.description, logging, now, name);
    return this.getDefinition(name);
  }

  /** Deletes the definition and its KPIs (stored events keep their use case name). */
  deleteDefinition(name: string): boolean {
    this.logging.delete(name);
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM use_case_kpis WHERE use_case_name = ?').run(name);
      return this.db.prepare('DELETE FROM use_case_definitions WHERE name = ?').run(name).changes === 1;
    })();
  }

  /** Sets (or with `null` removes) the definition's default limit configuration (`CreateLimitBase`). */
  setLimitConfig(name: string, config: Record<string, unknown> | null, now = new Date().toISOString()): DefinitionRow | undefined {
    const r = this.db.prepare('UPDATE use_case_definitions SET limit_config_json = ?, update_timestamp = ? WHERE name = ?').run(config ? JSON.stringify(config) : null, now, name);
    return r.changes === 1 ? this.getDefinition(name) : undefined;
  }

  incrementVersion(name: string, now = new Date().toISOString()): DefinitionRow | undefined {
    const r = this.db.prepare('UPDATE use_case_definitions SET version = version + 1, update_timestamp = ? WHERE name = ?').run(now, name);
    return r.changes === 1 ? this.getDefinition(name) : undefined;
  }

  /** A new instance id of the use case. */
  createInstance(name: string, now = new Date().toISOString()): string {
    const id = randomUUID();
    this.ensureInstanceStmt.run(id, name, now);
    return id;
  }

  /** Records an instance id that an event or a KPI score named. */
  ensureInstance(id: string, name: string, now: string): void {
    if (this.instances.has(id)) return;
    this.ensureInstanceStmt.run(id, name, now);
    if (this.instances.size > 10_000) this.instances.clear();
    this.instances.add(id);
  }

  getInstance(id: string): { use_case_id: string; use_case_name: string; create_timestamp: string } | undefined {
    return this.db.prepare('SELECT * FROM use_case_instances WHERE use_case_id = ?').get(id) as
      | { use_case_id: string; use_case_name: string; create_timestamp: string }
      | undefined;
  }

  /** Defines a KPI; `undefined` when it exists already. */
  defineKpi(name: string, k: KpiInput, now = new Date().toISOString()): KpiRow | undefined {
    const r = this.db
      .prepare('INSERT INTO use_case_kpis (use_case_name, kpi_name, description, kpi_type, goal, create_timestamp) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(name, k.name, k.description, k.kpi_type, k.goal, now);
    return r.changes === 1 ? this.getKpi(name, k.name) : undefined;
  }

  getKpi(name: string, kpi: string): KpiRow | undefined {
    return this.db.prepare('SELECT * FROM use_case_kpis WHERE use_case_name = ? AND kpi_name = ?').get(name, kpi) as KpiRow | undefined;
  }

  listKpis(name: string): KpiRow[] {
    return this.db.prepare('SELECT * FROM use_case_kpis WHERE use_case_name = ? ORDER BY kpi_name').all(name) as KpiRow[];
  }

  /** Changes a KPI's description or goal (`UpdateKpiRequest`); `undefined` when there is no such KPI. */
  updateKpi(name: string, kpi: string, f: { description?: string | null; goal?: number | null }, now = new Date().toISOString()): KpiRow | undefined {
    const cur = this.getKpi(name, kpi);
    if (!cur) return undefined;
    this.db
      .prepare('UPDATE use_case_kpis SET description = ?, goal = ?, update_timestamp = ? WHERE use_case_name = ? AND kpi_name = ?')
      .run(f.description ?? cur.description, f.goal ?? cur.goal, now, name, kpi);
    return this.getKpi(name, kpi);
  }

  /** Deletes a KPI and its scores; the deleted KPI, or `undefined` when there was none. */
  deleteKpi(name: string, kpi: string): KpiRow | undefined {
    const cur = this.getKpi(name, kpi);
    if (!cur) return undefined;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM kpi_scores WHERE use_case_name = ? AND kpi_name = ?').run(name, kpi);
      this.db.prepare('DELETE FROM use_case_kpis WHERE use_case_name = ? AND kpi_name = ?').run(name, kpi);
    })();
    return cur;
  }

  hasKpi(name: string, kpi: string): boolean {
    return this.getKpi(name, kpi) !== undefined;
  }

  /** Deletes an instance and its KPI scores. */
  deleteInstance(id: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM kpi_scores WHERE use_case_id = ?').run(id);
      this.instances.delete(id);
      return this.db.prepare('DELETE FROM use_case_instances WHERE use_case_id = ?').run(id).changes === 1;
    })();
  }

  /** Sets the score of a KPI for one instance; `null` removes it. */
  setScore(name: string, id: string, kpi: string, score: number | null, now = new Date().toISOString()): void {
    this.db.transaction(() => {
      this.ensureInstance(id, name, now);
      if (score === null) {
        this.db.prepare('DELETE FROM kpi_scores WHERE use_case_id = ? AND kpi_name = ?').run(id, kpi);
        return;
      }
      this.db
        .prepare(
          `INSERT INTO kpi_scores (use_case_name, use_case_id, kpi_name, score, create_timestamp, update_timestamp) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(use_case_id, kpi_name) DO UPDATE SET score = excluded.score, update_timestamp = excluded.update_timestamp`,
        )
        .run(name, id, kpi, score, now, now);
    })();
  }

  /** The KPI scores of one instance, in the spec's `KpiScoreResponse` shape. */
  scores(id: string): { kpi_name: string; kpi_type?: string; score: number; create_timestamp: string; update_timestamp: string }[] {
    const rows = this.db
      .prepare(
        `SELECT s.kpi_name, k.kpi_type, s.score, COALESCE(s.create_timestamp, s.update_timestamp) AS create_timestamp, s.update_timestamp
         FROM kpi_scores s LEFT JOIN use_case_kpis k ON k.use_case_name = s.use_case_name AND k.kpi_name = s.kpi_name
         WHERE s.use_case_id = ? ORDER BY s.kpi_name`,
      )
      .all(id) as { kpi_name: string; kpi_type: string | null; score: number; create_timestamp: string; update_timestamp: string }[];
    return rows.map(({ kpi_type, ...r }) => ({ ...r, ...(kpi_type ? { kpi_type } : {}) }));
  }
}
