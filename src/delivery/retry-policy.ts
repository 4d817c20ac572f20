/**
 * The retry policy (contract §6), in one place for the `Payi` client and every delivery sink:
 * which failures are worth another attempt, how long to wait (exponential backoff with jitter,
 * capped, honouring `Retry-After`), and whether an attempt lost its answer (so a retry must be
 * idempotent).
 */

/** Error code of failures that have no HTTP answer (the connection failed). */
export const CONNECTION_ERROR = 'api_connection_error';
/** Error code of an attempt that took longer than its time-out. */
export const TIMEOUT_ERROR = 'timeout';
/** Error code of a request the caller's `signal` aborted. */
export const ABORTED_ERROR = 'aborted';
/** The longest single wait between two delivery attempts (contract §6). */
export const MAX_WAIT_MS = 30_000;

const retryAfter = new WeakMap<object, number>();

/**
 * Remembers the wait the service asked for (`Retry-After`) on the answer that produced `error`.
 *
 * @example
 * ```ts
 * rememberRetryAfter(error, parseRetryAfter(res.header));
 * ```
 */
export function rememberRetryAfter(error: object, ms: number | undefined): void {
  if (ms !== undefined) retryAfter.set(error, ms);
}

/**
 * The wait the service asked for (`Retry-After` / `retry-after-ms`) on the answer that produced
 * `error`, in milliseconds, or `undefined`.
 *
 * @example
 * ```ts
 * const wait = retryAfterMsOf(err) ?? backoffMs(attempt);
 * ```
 */
export function retryAfterMsOf(error: unknown): number | undefined {
  return error && typeof error === 'object' ? retryAfter.get(error) : undefined;
}

/**
 * True for statuses worth another attempt: none (no answer), 408, 429 and 5xx.
 *
 * @example
 * ```ts
 * if (isRetryableStatus(429)) ...
 * ```
 */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/**
 * True when `error` (a `PayiApiError`, or any error with the same `status`/`code`) is worth another
 * attempt: a connection error, a time-out, 408, 429 or 5xx.
 *
 * @example
 * ```ts
 * catch (e) { if (isRetryableError(e)) queueAgain(); }
 * ```
 */
export function isRetryableError(error: unknown): boolean {
  const e = error as { status?: unknown; code?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.status === 'number') return isRetryableStatus(e.status);
  return e.code === CONNECTION_ERROR || e.code === TIMEOUT_ERROR;
}

/**
 * True when `error` is a failure to reach the service at all (no HTTP answer, or a time-out): the
 * service may or may not have stored what was sent, so a retry must not double-count.
 *
 * @example
 * ```ts
 * if (isConnectionError(e)) countOutage();
 * ```
 */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === CONNECTION_ERROR || code === TIMEOUT_ERROR;
}

/**
 * Parses `retry-after-ms`, then `Retry-After` (seconds or an HTTP date), into milliseconds.
 *
 * @example
 * ```ts
 * parseRetryAfter((n) => res.headers.get(n)); // 2000 for "Retry-After: 2"
 * ```
 */
export function parseRetryAfter(header: (name: string) => string | null, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(header('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = header('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw.trim());
  if (raw.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter: 500 ms doubling, capped at `capMs`, between 50% and 100% of that.
 *
 * @example
 * ```ts
 * await sleep(backoffMs(attempt));
 * ```
 */
export function backoffMs(attempt: number, capMs = 8000): number {
  const base = Math.min(capMs, 500 * 2 ** Math.min(attempt, 30));
  return base * (0.5 + Math.random() * 0.5);
}

/**
 * The wait before attempt `attempt + 1` of a delivery: what the service asked for, else the
 * backoff, never more than {@link MAX_WAIT_MS}.
 *
 * @example
 * ```ts
 * const wait = deliveryWaitMs(attempt, retryAfterMsOf(err));
 * ```
 */
export function deliveryWaitMs(attempt: number, askedMs: number | undefined): number {
  return Math.min(MAX_WAIT_MS, askedMs ?? backoffMs(attempt, MAX_WAIT_MS));
}

/**
 * Resolves after `ms`, or at once when `signal` aborts; `unref` lets the process end meanwhile.
 *
 * @example
 * ```ts
 * await sleep(500, controller.signal, true);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal, unref = false): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (unref) timer.unref?.();
    signal?.addEventListener('abort', done, { once: true });
  });
}
