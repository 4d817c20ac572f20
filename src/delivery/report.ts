import { PayiIngestError } from '../errors';
import { maskSecrets, safeExecute, type PayiLogger } from '../internal/logger';

/**
 * Builds a {@link PayiIngestError} with the `status`, `code` and `requestId` of its cause (a
 * `PayiApiError` or a per-item error), the API key masked out of the message.
 *
 * @example
 * ```ts
 * ingestError('3 events not delivered', apiError, [apiKey]);
 * ```
 */
export function ingestError(message: string, cause: unknown, secrets: readonly (string | undefined)[], code?: string): PayiIngestError {
  const c = (cause && typeof cause === 'object' ? cause : {}) as { status?: unknown; code?: unknown; requestId?: unknown; message?: unknown };
  const init: { status?: number; code?: string; requestId?: string; cause?: unknown } = {};
  if (typeof c.status === 'number') init.status = c.status;
  const resolved = code ?? (typeof c.code === 'string' ? c.code : undefined);
  if (resolved) init.code = resolved;
  if (typeof c.requestId === 'string') init.requestId = c.requestId;
  if (cause !== undefined) init.cause = cause;
  return new PayiIngestError(maskSecrets(message, secrets), init);
}

/**
 * Counts occurrences and says when one should be logged: the first one, then at most one per
 * `windowMs`, with the number of those in between.
 */
export class LogWindow {
  private last = -Infinity;
  private suppressed = 0;

  constructor(private readonly windowMs: number) {}

  /** `undefined` when this one is only counted; else how many were counted since the last logged one. */
  hit(now = Date.now()): number | undefined {
    if (now - this.last < this.windowMs) {
      this.suppressed++;
      return undefined;
    }
    const n = this.suppressed;
    this.last = now;
    this.suppressed = 0;
    return n;
  }
}

/**
 * Where delivery failures go: the logger (API keys masked; connection errors and queue overflows
 * at most once per window, with a count of the ones in between) and `ingest.onError` (behind
 * safeExecute, so a throwing callback never reaches delivery).
 *
 * @example
 * ```ts
 * const reporter = new Reporter(logger, onError, 60_000, [apiKey]);
 * reporter.failure(ingestError('2 events not delivered', err, [apiKey]));
 * ```
 */
export class Reporter {
  private readonly connections: LogWindow;
  private readonly overflows: LogWindow;
  private overflowCount = 0;
  private readonly closedWindow: LogWindow;
  private closedCount = 0;

  constructor(
    private readonly logger: PayiLogger,
    private readonly onError: ((error: PayiIngestError) => void) | undefined,
    private readonly windowMs: number,
    readonly secrets: readonly (string | undefined)[],
  ) {
    this.connections = new LogWindow(windowMs);
    this.overflows = new LogWindow(windowMs);
    this.closedWindow = new LogWindow(windowMs);
  }

  private mask(text: string): string {
    return maskSecrets(text, this.secrets);
  }

  /** A delivery failure: logged at error and passed to `onError`. */
  failure(error: PayiIngestError): void {
    try {
      this.logger.error({ err: { name: error.name, message: error.message, status: error.status, code: error.code, requestId: error.requestId } }, this.mask(error.message));
    } catch {
      /* a throwing logger must not break delivery */
    }
    const onError = this.onError;
    if (onError) safeExecute('ingest.onError', () => onError(error), undefined);
  }

  /** A failed attempt that will be retried: connection errors are logged once per window, others at debug. */
  attemptFailed(error: unknown, connection: boolean, waitMs: number | undefined): void {
    const raw = (error as { message?: unknown } | null)?.message;
    const message = this.mask(typeof raw === 'string' ? raw : String(error));
    const then = waitMs === undefined ? 'giving up' : `retrying in ${Math.round(waitMs)} ms`;
    try {
      if (!connection) {
        this.logger.debug(`payi: ingest attempt failed: ${message}; ${then}`);
        return;
      }
      const skipped = this.connections.hit();
      if (skipped === undefined) return;
      const extra = skipped > 0 ? `; ${skipped} more connection errors in the last ${Math.round(this.windowMs / 1000)} s` : '';
      this.logger.error(`payi: cannot reach the Pay-i service: ${message}; ${then}${extra}`);
    } catch {
      /* a throwing logger must not break delivery */
    }
  }

  /** Events submitted after delivery was closed (spilled): logged once per window with the count. */
  afterClose(count: number, where: string): void {
    this.closedCount += count;
    if (this.closedWindow.hit() === undefined) return;
    const n = this.closedCount;
    this.closedCount = 0;
    try {
      this.logger.warn(`payi: ${n} events arrived after delivery was closed (shutdown); they went to ${where}`);
    } catch {
      /* ignore */
    }
  }

  /** Events spilled because the queue was full: logged once per window with the count. */
  overflow(count: number, maxQueueSize: number, where: string): void {
    this.overflowCount += count;
    const skipped = this.overflows.hit();
    if (skipped === undefined) return;
    const n = this.overflowCount;
    this.overflowCount = 0;
    try {
      this.logger.warn(`payi: ingest queue full (maxQueueSize ${maxQueueSize}): ${n} events went to ${where} instead of waiting in memory`);
    } catch {
      /* ignore */
    }
  }
}
