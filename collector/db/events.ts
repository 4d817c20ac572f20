import type Database from 'better-sqlite3';

/** An event as stored (columns of `events`). */
export interface EventRow {
  id?: number;
  request_id: string;
  provider_response_id: string | null;
  source: 'ingest' | 'proxy';
  category: string;
  resource: string;
  event_timestamp: string;
  ingest_timestamp: string;
  http_status_code: number | null;
  end_to_end_latency_ms: number | null;
  time_to_first_token_ms: number | null;
  use_case_name: string | null;
  use_case_id: string | null;
  use_case_version: number | null;
  use_case_step: string | null;
  user_id: string | null;
  account_name: string | null;
  resource_scope: string | null;
  provider_uri: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_input: number;
  cost_output: number;
  cost_total: number;
  price_version: string | null;
  units_json: string;
  unknown_units_json: string | null;
  limit_ids_json: string | null;
  request_tags_json: string | null;
  result_json: string | null;
  properties_json: string | null;
  use_case_properties_json: string | null;
  function_calls_json: string | null;
  request_headers_json: string | null;
  response_headers_json: string | null;
  provider_request_json: string | null;
  provider_response_json: string | null;
  /** `properties["system.usage_source"]`: `reported`, `estimated` or `missing`; null when the sender did not say. */
  usage_source: string | null;
}

const COLUMNS = [
  'request_id', 'provider_response_id', 'source', 'category', 'resource', 'event_timestamp', 'ingest_timestamp',
  'http_status_code', 'end_to_end_latency_ms', 'time_to_first_token_ms', 'use_case_name', 'use_case_id',
  'use_case_version', 'use_case_step', 'user_id', 'account_name', 'resource_scope', 'provider_uri', 'input_tokens',
  'output_tokens', 'cost_input', 'cost_output', 'cost_total', 'price_version', 'units_json', 'unknown_units_json',
  'limit_ids_json', 'request_tags_json', 'result_json', 'properties_json', 'use_case_properties_json',
  'function_calls_json', 'request_headers_json', 'response_headers_json', 'provider_request_json', 'provider_response_json',
  'usage_source',
] as const;

/**
 * Stored events: insert, look up by request id or provider response id.
 *
 * @example
 * ```ts
 * const events = new EventsRepo(db);
 * events.byRequestId('5f0c...')?.cost_total;
 * ```
 */
export class EventsRepo {
  private readonly insertStmt;
  private readonly byResponseIdStmt;
  private readonly byRequestIdStmt;
  private readonly limitStmt;
  private readonly tagStmt;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => '@' + c).join(', ')})`);
    this.byResponseIdStmt = db.prepare('SELECT * FROM events WHERE provider_response_id = ?');
    this.byRequestIdStmt = db.prepare('SELECT * FROM events WHERE request_id = ?');
    this.limitStmt = db.prepare('INSERT OR IGNORE INTO event_limits (event_id, limit_id) VALUES (?, ?)');
    this.tagStmt = db.prepare('INSERT OR IGNORE INTO event_tags (event_id, tag) VALUES (?, ?)');
  }

  /** Stores one event with its limit ids and request tags; returns its row id. */
  insert(row: EventRow, limitIds: readonly string[], tags: readonly string[]): number {
    const id = Number(this.insertStmt.run(row).lastInsertRowid);
    for (const l of limitIds) this.limitStmt.run(id, l);
    for (const t of tags) this.tagStmt.run(id, t);
    return id;
  }

  byProviderResponseId(id: string): EventRow | undefined {
    return this.byResponseIdStmt.get(id) as EventRow | undefined;
  }

  byRequestId(id: string): EventRow | undefined {
    return this.byRequestIdStmt.get(id) as EventRow | undefined;
  }

  /** Every event's id, category, resource, timestamp and units (for recomputing costs). */
  *pricingInputs(): IterableIterator<Pick<EventRow, 'id' | 'category' | 'resource' | 'event_timestamp' | 'units_json' | 'cost_total'>> {
    yield* this.db.prepare('SELECT id, category, resource, event_timestamp, units_json, cost_total FROM events ORDER BY id').iterate() as IterableIterator<
      Pick<EventRow, 'id' | 'category' | 'resource' | 'event_timestamp' | 'units_json' | 'cost_total'>
    >;
  }
}
