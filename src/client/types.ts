import type { PayiLogger } from '../internal/logger';
import type { XproxyResult } from '../events/types';

/**
 * Options of the {@link Payi} REST client. Every field is optional.
 *
 * @example
 * ```ts
 * const payi = new Payi({ apiKey: 'sk-payi-...', baseUrl: 'http://127.0.0.1:7480', timeoutMs: 10_000, maxRetries: 3 });
 * ```
 */
export interface PayiClientOptions {
  /** Pay-i API key, sent as `xProxy-api-key`. Default: env `PAYI_API_KEY`; none for a local collector started without `--api-key`. */
  apiKey?: string;
  /** The service's URL. Default: env `PAYI_BASE_URL`, else `https://api.pay-i.com`. */
  baseUrl?: string;
  /** Milliseconds one HTTP attempt may take (answer and body). Default 30000. */
  timeoutMs?: number;
  /** Retries of a request that failed with a connection error, a time-out, 408, 429 or 5xx. Default 2. */
  maxRetries?: number;
  /** A `fetch` to send requests with (tests, proxies, instrumentation). Default: `node:http`/`node:https` with keep-alive. */
  fetch?: typeof fetch;
  /** Headers added to every request (they never replace `xProxy-api-key`). */
  defaultHeaders?: Record<string, string>;
  /** Where retries are logged at debug. Default: no logging. */
  logger?: PayiLogger;
}

/** Per-request options of every {@link Payi} method. */
export interface RequestOptions {
  /** Aborts the request (and its retries). */
  signal?: AbortSignal;
  /** Overrides the client's `maxRetries` for this request. */
  maxRetries?: number;
  /** Overrides the client's `timeoutMs` for this request. */
  timeoutMs?: number;
}

/**
 * One per-item error of a bulk ingest answer: the item's `index` in the request's `events`, an
 * HTTP-like `status` (400 malformed; 408, 429 and 5xx mean "try this item again"), a machine
 * readable `code` and a `message` naming the problem (for a malformed item, the field).
 */
export interface BulkItemError {
  index: number;
  status?: number;
  code?: string;
  message?: string;
}

/**
 * The answer of `POST /api/v1/ingest/bulk`, as the Pay-i service and the local collector give it:
 *
 * ```json
 * { "results": [ { "request_id": "...", "cost": {...}, "limits": {...} }, null ],
 *   "errors":  [ { "index": 1, "status": 400, "code": "invalid_event", "message": "category is missing" } ] }
 * ```
 *
 * `results` has one entry per item, in order: the item's `xproxy_result`, or `null` where the item
 * failed; `errors` lists the failed items. The service answers HTTP 200 when at least one item was
 * stored (or the list was empty) and 400 when every item was malformed; {@link Payi} returns this
 * shape in both cases, so per-item reasons are never lost.
 */
export interface BulkIngestResponse {
  results: (XproxyResult | null)[];
  errors: BulkItemError[];
  [key: string]: unknown;
}

/** A use case definition as the service returns it (wire shape, snake_case). */
export interface UseCaseDefinition {
  name: string;
  description?: string;
  logging_enabled?: boolean;
  version?: number;
  [key: string]: unknown;
}

/** A KPI of a use case definition (wire shape). */
export interface UseCaseKpi {
  kpi_name: string;
  description?: string;
  [key: string]: unknown;
}

/** A limit as the service returns it (wire shape, snake_case). */
export interface PayiLimit {
  limit_id?: string;
  limit_name?: string;
  max?: number;
  limit_type?: 'block' | 'allow';
  threshold?: number;
  [key: string]: unknown;
}

/** Any JSON object the service answered (wire shape, snake_case). */
export type ApiObject = Record<string, unknown>;
