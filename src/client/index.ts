import { PayiConfigError } from '../errors';
import { DEFAULT_BASE_URL, readEnv } from '../options/env';
import type { IngestClient } from '../options/types';
import { HttpCore } from './http';
import { IngestResource } from './ingest';
import { Limits } from './limits';
import { Requests } from './requests';
import { fetchTransport, nodeTransport } from './transport';
import type { ApiObject, PayiClientOptions, RequestOptions } from './types';
import { UseCases, type KpiScoreIncrement } from './use-cases';
import { invalid } from './validate';

export type { PayiClientOptions, RequestOptions, BulkIngestResponse, BulkItemError, IndexApiError, ApiError, UseCaseDefinition, UseCaseKpi, PayiLimit, ApiObject, LimitResponse, LimitHistoryResponse, DefaultResponse, CursorPage, LimitConfig, LimitType, UseCaseInstance, KpiScore, KpiType, LimitTotals } from './types';
export type { UseCaseDefinitionCreate, UseCaseDefinitionUpdate, KpiScoreIncrement, KpiDefine } from './use-cases';
export type { LimitCreate, LimitUpdate, LimitListQuery } from './limits';

/**
 * The Pay-i REST client (contract §10): a small typed client for the Pay-i service and the local
 * collector alike. camelCase in, snake_case on the wire; answers are returned in their wire shape.
 * Failures throw {@link PayiApiError} (`status`, `code`, `message`, `requestId`); connection errors,
 * time-outs, 408, 429 and 5xx are retried `maxRetries` times with backoff, honouring `Retry-After`.
 * The API key is sent as `xProxy-api-key` and never appears in an error message or a log line.
 *
 * @example
 * ```ts
 * import { Payi } from 'payi-instrument';
 * const payi = new Payi({ baseUrl: 'http://127.0.0.1:7480' });
 * await payi.limits.create({ limitName: 'monthly', max: 50, limitType: 'block' });
 * const { use_case_id } = await payi.useCases.create('summarize');
 * ```
 */
export class Payi implements IngestClient {
  /** Usage events: `units(event)`, `bulk(events)` and `bulkUpsert(events)`. */
  readonly ingest: IngestResource;
  /** Use case definitions, instances and KPIs. */
  readonly useCases: UseCases;
  /** Spending limits. */
  readonly limits: Limits;
  /** Results of ingested requests. */
  readonly requests: Requests;
  /** The service's URL, without a trailing `/`. */
  readonly baseUrl: string;
  private readonly http: HttpCore;

  constructor(options: PayiClientOptions = {}) {
    if (options === null || typeof options !== 'object') invalid('new Payi', 'options', options, 'an object');
    const env = readEnv();
    const apiKey = options.apiKey ?? env.apiKey;
    if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey === '')) invalid('new Payi', 'apiKey', '[hidden]', 'a non-empty string');
    const baseUrl = String(options.baseUrl ?? env.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    let url: URL | undefined;
    try {
      url = new URL(baseUrl);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw new PayiConfigError(`new Payi: baseUrl ${JSON.stringify(options.baseUrl ?? baseUrl)} is invalid; expected an http(s) URL such as https://api.pay-i.com`, 'baseUrl', options.baseUrl ?? baseUrl);
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) invalid('new Payi', 'timeoutMs', timeoutMs, 'a number of milliseconds > 0');
    const maxRetries = options.maxRetries ?? 2;
    if (typeof maxRetries !== 'number' || !Number.isInteger(maxRetries) || maxRetries < 0) invalid('new Payi', 'maxRetries', maxRetries, 'a whole number >= 0');
    if (options.fetch !== undefined && typeof options.fetch !== 'function') invalid('new Payi', 'fetch', options.fetch, 'a fetch function');
    if (options.defaultHeaders !== undefined && (options.defaultHeaders === null || typeof options.defaultHeaders !== 'object')) {
      invalid('new Payi', 'defaultHeaders', options.defaultHeaders, 'an object of header names to values');
    }
    this.baseUrl = baseUrl;
    this.http = new HttpCore({
      ...(apiKey ? { apiKey } : {}),
      baseUrl,
      timeoutMs,
      maxRetries,
      transport: options.fetch ? fetchTransport(options.fetch) : nodeTransport,
      defaultHeaders: { ...(options.defaultHeaders ?? {}) },
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.ingest = new IngestResource(this.http);
    this.useCases = new UseCases(this.http);
    this.limits = new Limits(this.http);
    this.requests = new Requests(this.http);
  }

  /**
   * `PUT /api/v1/use_cases/instances/{useCaseName}/{useCaseId}/kpis/{kpiName}` with `{ score: increment }`.
   *
   * @example
   * ```ts
   * await payi.incrementKpiScore({ useCaseName: 'summarize', useCaseId, kpiName: 'accepted', increment: 1 });
   * ```
   */
  incrementKpiScore(fields: KpiScoreIncrement, options: RequestOptions = {}): Promise<ApiObject> {
    return this.useCases.incrementKpiScore(fields, options);
  }

  /** Keeps the API key out of `console.log(payi)` and `JSON.stringify(payi)`. */
  toJSON(): { baseUrl: string } {
    return { baseUrl: this.baseUrl };
  }

  /** Node's `util.inspect` shows only the base URL. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Payi { baseUrl: '${this.baseUrl}' }`;
  }
}
