import type Database from 'better-sqlite3';

/**
 * The schema, as an ordered list of migrations. A database records the ones it has applied in
 * `schema_migrations`; opening it applies the rest in one transaction each. Never edit a
 * migration that has shipped: add a new one.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'events, use cases, KPIs, limits',
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        provider_response_id TEXT,
        source TEXT NOT NULL,
        category TEXT NOT NULL,
        resource TEXT NOT NULL,
        event_timestamp TEXT NOT NULL,
        ingest_timestamp TEXT NOT NULL,
        http_status_code INTEGER,
        end_to_end_latency_ms REAL,
        time_to_first_token_ms REAL,
        use_case_name TEXT,
        use_case_id TEXT,
        use_case_version INTEGER,
        use_case_step TEXT,
        user_id TEXT,
        account_name TEXT,
        resource_scope TEXT,
        provider_uri TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cost_input REAL NOT NULL,
        cost_output REAL NOT NULL,
        cost_total REAL NOT NULL,
        price_version TEXT,
        units_json TEXT NOT NULL,
        unknown_units_json TEXT,
        limit_ids_json TEXT,
        request_tags_json TEXT,
        result_json TEXT,
        properties_json TEXT,
        use_case_properties_json TEXT,
        function_calls_json TEXT,
        request_headers_json TEXT,
        response_headers_json TEXT,
        provider_request_json TEXT,
        provider_response_json TEXT
      );
      CREATE UNIQUE INDEX events_provider_response_id ON events(provider_response_id) WHERE provider_response_id IS NOT NULL;
      CREATE TABLE event_limits (event_id INTEGER NOT NULL, limit_id TEXT NOT NULL, PRIMARY KEY (limit_id, event_id)) WITHOUT ROWID;
      CREATE TABLE event_tags (event_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (tag, event_id)) WITHOUT ROWID;

      CREATE TABLE use_case_definitions (
        name TEXT PRIMARY KEY,
        description TEXT,
        logging_enabled INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 1,
        created_by TEXT NOT NULL,
        create_timestamp TEXT NOT NULL,
        update_timestamp TEXT NOT NULL
      );
      CREATE TABLE use_case_instances (
        use_case_id TEXT PRIMARY KEY,
        use_case_name TEXT NOT NULL,
        create_timestamp TEXT NOT NULL
      );
      CREATE TABLE use_case_kpis (
        use_case_name TEXT NOT NULL,
        kpi_name TEXT NOT NULL,
        description TEXT,
        create_timestamp TEXT NOT NULL,
        PRIMARY KEY (use_case_name, kpi_name)
      );
      CREATE TABLE kpi_scores (
        use_case_name TEXT NOT NULL,
        use_case_id TEXT NOT NULL,
        kpi_name TEXT NOT NULL,
        score REAL NOT NULL,
        update_timestamp TEXT NOT NULL,
        PRIMARY KEY (use_case_id, kpi_name)
      );

      CREATE TABLE limits (
        limit_id TEXT PRIMARY KEY,
        limit_name TEXT NOT NULL,
        max REAL NOT NULL,
        limit_type TEXT NOT NULL,
        threshold REAL,
        spend REAL NOT NULL DEFAULT 0,
        requests INTEGER NOT NULL DEFAULT 0,
        limit_creation_timestamp TEXT NOT NULL,
        limit_update_timestamp TEXT NOT NULL,
        limit_reset_timestamp TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'fields of Pay-i\'s OpenAPI document: spec event fields, limit totals by side and state, KPI type and goal',
    sql: `
      ALTER TABLE events ADD COLUMN time_to_first_completion_token_ms INTEGER;
      ALTER TABLE events ADD COLUMN provider_request_reasoning_json TEXT;
      ALTER TABLE events ADD COLUMN instrumented_module TEXT;
      ALTER TABLE event_limits ADD COLUMN state TEXT;
      ALTER TABLE limits ADD COLUMN spend_input REAL NOT NULL DEFAULT 0;
      ALTER TABLE limits ADD COLUMN spend_output REAL NOT NULL DEFAULT 0;
      ALTER TABLE limits ADD COLUMN properties_json TEXT;
      UPDATE limits SET
        spend_input = COALESCE((SELECT sum(e.cost_input) FROM event_limits el JOIN events e ON e.id = el.event_id
          WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= COALESCE(limits.limit_reset_timestamp, limits.limit_creation_timestamp)), 0),
        spend_output = COALESCE((SELECT sum(e.cost_output) FROM event_limits el JOIN events e ON e.id = el.event_id
          WHERE el.limit_id = limits.limit_id AND e.ingest_timestamp >= COALESCE(limits.limit_reset_timestamp, limits.limit_creation_timestamp)), 0);
      ALTER TABLE use_case_definitions ADD COLUMN limit_config_json TEXT;
      ALTER TABLE use_case_kpis ADD COLUMN kpi_type TEXT NOT NULL DEFAULT 'number';
      ALTER TABLE use_case_kpis ADD COLUMN goal REAL NOT NULL DEFAULT 0;
      ALTER TABLE use_case_kpis ADD COLUMN update_timestamp TEXT;
      ALTER TABLE kpi_scores ADD COLUMN create_timestamp TEXT;
      UPDATE kpi_scores SET create_timestamp = update_timestamp;
    `,
  },
  {
    version: 3,
    name: 'events.usage_source: how the usage is known (reported, estimated, missing)',
    // NULL for events stored before: their usage source was not recorded
    sql: `ALTER TABLE events ADD COLUMN usage_source TEXT;`,
  },
];

/** Applies the migrations `db` has not applied yet; returns the schema version. */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
  return Math.max(0, ...MIGRATIONS.map((m) => m.version));
}
