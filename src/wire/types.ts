/**
 * The Pay-i API's request and answer shapes the SDK uses, as the OpenAPI document
 * (`pay-i-openapi.yml`) declares them (snake_case, the spec's schema names in the comments).
 */

/** `IngestUnits`: token counts of one unit, integers 0..2,147,483,647. */
export interface WireUnits {
  input?: number;
  output?: number;
}

/** `HeaderInfo`. */
export interface WireHeader {
  name: string;
  value?: string | null;
}

/** `FunctionCallInfo`. */
export interface WireFunctionCall {
  name: string;
  arguments?: string | null;
}

/** `IngestRequest`: the body of `POST /api/v1/ingest` (no attribution fields: those are headers). */
export interface IngestRequest {
  category: string;
  units: Record<string, WireUnits>;
  resource?: string | null;
  event_timestamp?: string | null;
  end_to_end_latency_ms?: number | null;
  time_to_first_token_ms?: number | null;
  time_to_first_completion_token_ms?: number | null;
  http_status_code?: number | null;
  provider_uri?: string | null;
  provider_request_reasoning_json?: string | null;
  provider_request_json?: string | null;
  provider_request_headers?: WireHeader[] | null;
  provider_response_json?: string | string[] | null;
  provider_response_headers?: WireHeader[] | null;
  provider_response_function_calls?: WireFunctionCall[] | null;
  provider_response_id?: string | null;
  properties?: Record<string, string | null> | null;
  use_case_properties?: Record<string, string | null> | null;
}

/** `BulkIngestRequest`: one item of the bare array `POST /api/v1/ingest/bulk` takes. */
export interface BulkIngestRequest extends IngestRequest {
  limit_ids?: string[] | null;
  request_tags?: string[] | null;
  user_id?: string | null;
  use_case_id?: string | null;
  use_case_name?: string | null;
  use_case_version?: number | null;
  use_case_step?: string | null;
  account_name?: string | null;
  /** The resource scope (`global`, `datazone`, `region`, `region.<name>`). */
  scope?: string | null;
}

/** `LimitStatus`: the six states of a limit. */
export type LimitStateName = 'ok' | 'blocked' | 'blocked_external' | 'exceeded' | 'overrun' | 'failed';

/** Every {@link LimitStateName}, in the spec's order. */
export const LIMIT_STATES: readonly LimitStateName[] = Object.freeze(['ok', 'blocked', 'blocked_external', 'exceeded', 'overrun', 'failed']);

/** `ProxyError`. */
export interface ProxyError {
  code?: string | null;
  message?: string | null;
}

/** `ApiError`: the error body of most operations. */
export interface ApiError {
  message: string;
  statusCode: number;
  xproxy_error?: ProxyError;
}

/** `IndexApiError`: one refused item of a bulk ingest, by its index in the request's array. */
export interface IndexApiError {
  item_index?: number;
  xproxy_result?: ApiError;
}

/**
 * `BulkIngestResponse`: the answer of `POST /api/v1/ingest/bulk` and `/bulk-upsert` (HTTP 200, or
 * 400 when items were refused). It carries no per-item results and no limit states.
 */
export interface BulkIngestResponse {
  request_id: string;
  ingest_timestamp: string;
  ingest_count: number;
  error_count?: number;
  item_error_count?: number;
  errors?: IndexApiError[] | null;
  total_count?: number;
}
