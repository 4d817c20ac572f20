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
}

/** The wire shape of a definition. */
export function definitionView(d: DefinitionRow): Record<string, unknown> {
  return {
    name: d.name,
    ...(d.description !== null ? { description: d.description } : {}),
    logging_enabled: d.logging_enabled === 1,
    version: d.version,
    create_timestamp: d.create_timestamp,
    update_timestamp: d.update_timestamp,
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
  createDefinition(f: { name: string; description?: string; logging_enabled?: boolean }, now = new Date().toISOString()): DefinitionRow | undefined {
    const r = this.db
      .prepare(
        `INSERT INTO use_case_definitions (name, description, logging_enabled, version, created_by, create_timestamp, update_timestamp)
         VALUES (?, ?, ?, 1, 'api', ?, ?) ON CONFLICT(name) DO NOTHING`,
      )
      .run(f.name, f.description ?? null, f.logging_enabled ? 1 : 0, now, now);
    this.logging.delete(f.name);
    return r.changes === 1 ? this.getDefinition(f.name) : undefined;
  }

  getDefinition(name: string): DefinitionRow | undefined {
    return this.getStmt.get(name) as DefinitionRow | undefined;
  }

  listDefinitions(): DefinitionRow[] {
    return this.db.prepare('SELECT * FROM use_case_definitions ORDER BY name').all() as DefinitionRow[];
  }

  updateDefinition(name: string, f: { description?: string; logging_enabled?: boolean }, now = new Date().toISOString()): DefinitionRow | undefined {
    const cur = this.getDefinition(name);
    if (!cur) return undefined;
    const logging = f.logging_enabled === undefined ? cur.logging_enabled : f.logging_enabled ? 1 : 0;
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
  defineKpi(name: string, kpi: string, description: string | undefined, now = new Date().toISOString()): Record<string, unknown> | undefined {
    const r = this.db
      .prepare('INSERT INTO use_case_kpis (use_case_name, kpi_name, description, create_timestamp) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(name, kpi, description ?? null, now);
    if (r.changes !== 1) return undefined;
    return { kpi_name: kpi, ...(description !== undefined ? { description } : {}), create_timestamp: now };
  }

  listKpis(name: string): Record<string, unknown>[] {
    const rows = this.db.prepare('SELECT kpi_name, description, create_timestamp FROM use_case_kpis WHERE use_case_name = ? ORDER BY kpi_name').all(name) as {
      kpi_name: string;
      description: string | null;
      create_timestamp: string;
    }[];
    return rows.map((r) => ({ kpi_name: r.kpi_name, ...(r.description !== null ? { description: r.description } : {}), create_timestamp: r.create_timestamp }));
  }

  hasKpi(name: string, kpi: string): boolean {
    return this.db.prepare('SELECT 1 FROM use_case_kpis WHERE use_case_name = ? AND kpi_name = ?').get(name, kpi) !== undefined;
  }

  /** Sets the score of a KPI for one instance. */
  setScore(name: string, id: string, kpi: string, score: number, now = new Date().toISOString()): void {
    this.db.transaction(() => {
      this.ensureInstance(id, name, now);
      this.db
        .prepare(
          `INSERT INTO kpi_scores (use_case_name, use_case_id, kpi_name, score, update_timestamp) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(use_case_id, kpi_name) DO UPDATE SET score = excluded.score, update_timestamp = excluded.update_timestamp`,
        )
        .run(name, id, kpi, score, now);
    })();
  }

  /** The KPI scores of one instance. */
  scores(id: string): { kpi_name: string; score: number; update_timestamp: string }[] {
    return this.db.prepare('SELECT kpi_name, score, update_timestamp FROM kpi_scores WHERE use_case_id = ? ORDER BY kpi_name').all(id) as {
      kpi_name: string;
      score: number;
      update_timestamp: string;
    }[];
  }
}
