import type { PayiLogger } from '../internal/logger';

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

export type { BulkIngestResponse, IndexApiError, ApiError } from '../wire/types';

/** @deprecated The spec's name is `IndexApiError`: `{ item_index, xproxy_result: ApiError }`. */
export type BulkItemError = import('../wire/types').IndexApiError;

export type { PayiLimit, LimitResponse, LimitHistoryResponse, DefaultResponse, CursorPage, LimitConfig, LimitType, UseCaseDefinition, UseCaseKpi, UseCaseInstance, KpiScore, KpiType, LimitTotals } from '../wire/resources';

/** Any JSON object the service answered (wire shape, snake_case). */
export type ApiObject = Record<string, unknown>;
