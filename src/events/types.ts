import type { LimitStateName } from '../wire/types';

/** Token counts of one unit (e.g. `text`, `text_cache_read`, `reasoning`). */
export interface UnitCount {
  input?: number;
  output?: number;
}

/** Units of an event: unit name → counts. */
export type Units = Record<string, UnitCount>;

/** A function or tool call the model made. */
export interface FunctionCall {
  name: string;
  arguments?: string;
}

/** A header on the wire: `{ name, value }`. */
export interface HeaderPair {
  name: string;
  value: string;
}

/**
 * One event per provider call, in the snake_case wire shape of the Pay-i ingest API (contract §6).
 * Absent values are left out, never sent as empty strings.
 */
export interface PayiEvent {
  category: string;
  resource: string;
  units: Units;
  /** ISO 8601, taken just before the call. */
  event_timestamp: string;
  end_to_end_latency_ms?: number;
  time_to_first_token_ms?: number;
  /** Streams: time to the first chunk carrying completion content, when that is not the first chunk. */
  time_to_first_completion_token_ms?: number;
  http_status_code?: number;
  provider_response_id?: string;
  provider_uri?: string;
  properties?: Record<string, string | null>;
  use_case_properties?: Record<string, string | null>;
  provider_request_json?: string;
  provider_response_json?: string;
  provider_response_headers?: HeaderPair[];
  provider_request_headers?: HeaderPair[];
  provider_response_function_calls?: FunctionCall[];
  limit_ids?: string[];
  request_tags?: string[];
  use_case_name?: string;
  use_case_id?: string;
  use_case_version?: number;
  use_case_step?: string;
  user_id?: string;
  account_name?: string;
  /** The resource scope; `scope` in a bulk item, `xProxy-Resource-Scope` as a header. */
  resource_scope?: string;
}

export type { LimitStateName } from '../wire/types';

/** The service's answer to one ingested event (`ProxyResult`, as `IngestResponse.xproxy_result`). */
export interface XproxyResult {
  request_id?: string;
  request_tags?: string[] | null;
  cost?: unknown;
  limits?: Record<string, { state?: LimitStateName } & Record<string, unknown>>;
  use_case_name?: string | null;
  use_case_id?: string;
  use_case_step?: string | null;
  resource_id?: string | null;
  user_id?: string | null;
  account_name?: string | null;
  blocked_limit_ids?: string[] | null;
  unknown_units?: Record<string, UnitCount> | null;
  duplicate_request?: boolean;
  warnings?: string[] | null;
  actions?: string[] | null;
  queued?: boolean | null;
  [key: string]: unknown;
}
