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
  time_to_first_completion_token_ms: number | null;
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
  provider_request_reasoning_json: string | null;
  /** `xProxy-Instrumented-Module` of the ingest request (`openai/4.2.0`), when given. */
  instrumented_module: string | null;
}

/** One limit an event counted against, with the limit's state after the event's cost was added. */
export interface EventLimit {
  limitId: string;
  /** `undefined` for a limit id that names no limit. */
  state?: string;
}

const COLUMNS = [
  'request_id', 'provider_response_id', 'source', 'category', 'resource', 'event_timestamp', 'ingest_timestamp',
  'http_status_code', 'end_to_end_latency_ms', 'time_to_first_token_ms', 'use_case_name', 'use_case_id',
  'use_case_version', 'use_case_step', 'user_id', 'account_name', 'resource_scope', 'provider_uri', 'input_tokens',
  'output_tokens', 'cost_input', 'cost_output', 'cost_total', 'price_version', 'units_json', 'unknown_units_json',
  'limit_ids_json', 'request_tags_json', 'result_json', 'properties_json', 'use_case_properties_json',
  'function_calls_json', 'request_headers_json', 'response_headers_json', 'provider_request_json', 'provider_response_json',
  'usage_source', 'time_to_first_completion_token_ms', 'provider_request_reasoning_json', 'instrumented_module',
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
    this.limitStmt = db.prepare('INSERT OR IGNORE INTO event_limits (event_id, limit_id, state) VALUES (?, ?, ?)');
    this.tagStmt = db.prepare('INSERT OR IGNORE INTO event_tags (event_id, tag) VALUES (?, ?)');
  }

  /** Stores one event with its limits (and their states) and request tags; returns its row id. */
  insert(row: EventRow, limits: readonly EventLimit[], tags: readonly string[]): number {
    const id = Number(this.insertStmt.run(row).lastInsertRowid);
    for (const l of limits) this.limitStmt.run(id, l.limitId, l.state ?? null);
    for (const t of tags) this.tagStmt.run(id, t);
    return id;
  }

  /** Deletes a stored event with its limit and tag rows (`bulk-upsert` replacing it); returns the limit ids it counted against. */
  remove(id: number): string[] {
    const limits = (this.db.prepare('SELECT limit_id FROM event_limits WHERE event_id = ?').all(id) as { limit_id: string }[]).map((r) => r.limit_id);
    this.db.prepare('DELETE FROM event_limits WHERE event_id = ?').run(id);
    this.db.prepare('DELETE FROM event_tags WHERE event_id = ?').run(id);
    this.db.prepare('DELETE FROM events WHERE id = ?').run(id);
    return limits;
  }

  /** Replaces the request properties of a stored event (`PUT /api/v1/requests/{id}/properties`). */
  setProperties(id: number, properties: Record<string, string | null> | null): void {
    this.db.prepare('UPDATE events SET properties_json = ? WHERE id = ?').run(properties === null ? null : JSON.stringify(properties), id);
  }

  byProviderResponseId(id: string): EventRow | undefined {
    return this.byResponseIdStmt.get(id) as EventRow | undefined;
  }

  /** The event of a provider response id in a category (`GET /api/v1/requests/provider/{category}/{id}/result`). */
  byProviderResponse(category: string, id: string): EventRow | undefined {
    return this.db.prepare('SELECT * FROM events WHERE provider_response_id = ? AND category = ?').get(id, category) as EventRow | undefined;
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
