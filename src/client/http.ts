import { PayiApiError } from '../errors';
import { maskSecrets, type PayiLogger } from '../internal/logger';
import { PayiHeaderNames } from '../headers/names';
import type { RawResponse, Transport } from './transport';
import { ABORTED_ERROR, CONNECTION_ERROR, TIMEOUT_ERROR, backoffMs, isRetryableError, parseRetryAfter, rememberRetryAfter, retryAfterMsOf, sleep } from '../delivery/retry-policy';

/** The client's settings after defaults and validation (internal). */
export interface HttpConfig {
  apiKey?: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  transport: Transport;
  defaultHeaders: Record<string, string>;
  logger?: PayiLogger;
}

/** One request of {@link HttpCore.request} (internal). */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** The body already serialised as JSON (UTF-8 bytes), sent as it is instead of `body`. */
  json?: Uint8Array;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  maxRetries?: number;
  timeoutMs?: number;
  /** An unsuccessful answer this returns true for is returned as a result instead of thrown. */
  accept?: (status: number, body: unknown) => boolean;
}

/** The message and code of an error answer: `{ xproxy_error: { code, message } }`, `{ message }` or text. */
function describeBody(body: unknown, text: string): { message?: string; code?: string; requestId?: string } {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const x = (b.xproxy_error && typeof b.xproxy_error === 'object' ? b.xproxy_error : b) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const out: { message?: string; code?: string; requestId?: string } = {};
    const message = str(x.message) ?? str(b.message) ?? str(b.error);
    const code = str(x.code) ?? str(b.code);
    // The spec's ProxyApiError carries the request id in xproxy_result.request_id.
    const result = b.xproxy_result && typeof b.xproxy_result === 'object' ? (b.xproxy_result as Record<string, unknown>) : {};
    const requestId = str(result.request_id) ?? str(b.request_id) ?? str(x.request_id);
    if (message) out.message = message;
    if (code) out.code = code;
    if (requestId) out.requestId = requestId;
    return out;
  }
  return text.trim() ? { message: text.trim().slice(0, 500) } : {};
}

/**
 * The HTTP core of the {@link Payi} client: JSON in and out, `xProxy-api-key`, time-outs, retries
 * with backoff honouring `Retry-After`, and {@link PayiApiError} for every failure. The API key
 * never appears in an error message or a log line.
 */
export class HttpCore {
  constructor(readonly config: HttpConfig) {}

  /** Sends one request (with retries) and resolves to the parsed JSON answer. */
  async request<T>(req: HttpRequest): Promise<T> {
    const maxRetries = req.maxRetries ?? this.config.maxRetries;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<T>(req);
      } catch (err) {
        if (attempt >= maxRetries || !isRetryableError(err) || req.signal?.aborted) throw err;
        const asked = retryAfterMsOf(err);
        const wait = asked !== undefined && asked <= 60_000 ? asked : backoffMs(attempt);
        this.config.logger?.debug(`payi: ${(err as Error).message}; retrying in ${Math.round(wait)} ms (${attempt + 1}/${maxRetries})`);
        await sleep(wait, req.signal);
        if (req.signal?.aborted) throw this.error(req, `aborted`, { code: ABORTED_ERROR });
      }
    }
  }

  private url(req: HttpRequest): string {
    const url = new URL(this.config.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  private error(req: HttpRequest, what: string, init: { status?: number; code?: string; requestId?: string; cause?: unknown }): PayiApiError {
    const message = maskSecrets(`Pay-i API ${req.method} ${req.path}: ${what}`, [this.config.apiKey]);
    return new PayiApiError(message, init);
  }

  private async attempt<T>(req: HttpRequest): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.config.defaultHeaders, ...req.headers };
    const payload = req.json ?? (req.body !== undefined ? JSON.stringify(req.body) : undefined);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (this.config.apiKey) headers[PayiHeaderNames.apiKey] = this.config.apiKey;
    const timeoutMs = req.timeoutMs ?? this.config.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let res: RawResponse;
    try {
      res = await this.config.transport({ method: req.method, url: this.url(req), headers, signal, ...(payload !== undefined ? { body: payload } : {}) });
    } catch (err) {
      if (req.signal?.aborted) throw this.error(req, 'aborted', { code: ABORTED_ERROR, cause: err });
      if (timeout.aborted) throw this.error(req, `no answer within ${timeoutMs} ms`, { code: TIMEOUT_ERROR, cause: err });
      const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
      const why = e.code ?? e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
      throw this.error(req, `connection failed (${why})`, { code: CONNECTION_ERROR, cause: err });
    }
    const text = res.text;
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    if ((res.status >= 200 && res.status < 300) || req.accept?.(res.status, body)) {
      if (body === undefined && text !== '') throw this.error(req, `answered ${res.status} with a body that is not JSON`, { status: res.status, code: 'invalid_json' });
      return (body ?? {}) as T;
    }
    const d = describeBody(body, text);
    const requestId = d.requestId ?? res.header('x-request-id') ?? res.header('xproxy-request-id') ?? undefined;
    const init: { status: number; code?: string; requestId?: string } = { status: res.status };
    if (d.code) init.code = d.code;
    if (requestId) init.requestId = requestId;
    const error = this.error(req, `answered ${res.status}${d.message ? `: ${d.message}` : ''}`, init);
    const wait = parseRetryAfter(res.header);
    rememberRetryAfter(error, wait);
    throw error;
  }
}
