import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../collector/db/open';
import { MIGRATIONS } from '../../collector/db/migrations';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-migrate-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a database from before the spec fields (schema 1) is migrated on open, keeping its data and backfilling limit spend by side', () => {
  const file = path.join(dir, 'old.db');
  const old = new Database(file);
  old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  old.exec(MIGRATIONS[0]!.sql);
  old.prepare("INSERT INTO schema_migrations VALUES (1, 'v1', '2025-01-01T00:00:00Z')").run();
  old.prepare("INSERT INTO limits (limit_id, limit_name, max, limit_type, spend, requests, limit_creation_timestamp, limit_update_timestamp) VALUES ('l', 'l', 10, 'block', 3, 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')").run();
  old
    .prepare(
      `INSERT INTO events (request_id, source, category, resource, event_timestamp, ingest_timestamp, input_tokens, output_tokens, cost_input, cost_output, cost_total, units_json)
       VALUES ('r1', 'ingest', 'system.openai', 'gpt-4o', '2025-02-01T00:00:00Z', '2025-02-01T00:00:00Z', 1, 1, 1, 2, 3, '{}')`,
    )
    .run();
  old.prepare('INSERT INTO event_limits (event_id, limit_id) VALUES (1, ?)').run('l');
  old.prepare("INSERT INTO use_case_kpis (use_case_name, kpi_name, create_timestamp) VALUES ('uc', 'k', '2025-01-01T00:00:00Z')").run();
  old.close();

  const db = openDatabase(file);
  try {
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(db.prepare('SELECT spend, spend_input, spend_output, requests FROM limits').get()).toEqual({ spend: 3, spend_input: 1, spend_output: 2, requests: 1 });
    expect(db.prepare('SELECT request_id, time_to_first_completion_token_ms, instrumented_module FROM events').get()).toEqual({ request_id: 'r1', time_to_first_completion_token_ms: null, instrumented_module: null });
    expect(db.prepare('SELECT kpi_name, kpi_type, goal FROM use_case_kpis').get()).toEqual({ kpi_name: 'k', kpi_type: 'number', goal: 0 });
  } finally {
    db.close();
  }
});
