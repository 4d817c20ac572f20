import type { PayiEvent, XproxyResult } from '../events/types';
import type { BulkIngestResult, IngestClient } from '../options/types';
import { bulkItemErrors } from '../wire/answers';
import { backoffMs, isConnectionError, isRetryableError, isRetryableStatus, retryAfterMsOf, sleep } from '../client/http';

/** The longest single wait between two attempts (contract §6). */
export const MAX_WAIT_MS = 30_000;

/** A batch on its way: `remaining` is what has not been accepted or given up yet. */
export interface BatchState {
  remaining: PayiEvent[];
  /** Set when someone else (a shutdown time-out) took over the remaining events. */
  claimed: boolean;
}

/** Events the service refused for good, with the reason. */
export interface PermanentFailure {
  events: PayiEvent[];
  /** The per-item error or the request's error. */
  error: unknown;
  /** How the reason reads in a log line. */
  reason: string;
}

/** What happened to a batch. */
export interface SendOutcome {
  permanent: PermanentFailure[];
  /** Events still not delivered when retries ran out (or the delivery was closed). */
  leftover: PayiEvent[];
  /** Why the leftover is left over. */
  leftoverReason?: 'retries_exhausted' | 'shutdown';
  /** The last error seen, for the leftover's report. */
  lastError?: unknown;
}

/** What {@link sendBatch} needs from delivery. */
export interface SendHooks {
  client: IngestClient;
  maxRetryMs: number;
  /** Aborts waits and requests (shutdown time-out). */
  signal: AbortSignal;
  /** Called with the accepted events and their results. */
  onAccepted(events: PayiEvent[], results: (XproxyResult | null | undefined)[]): void;
  /** Called for each failed attempt; `waitMs` undefined when there will be no retry. */
  onAttemptFailed(error: unknown, connection: boolean, waitMs: number | undefined): void;
  /** Called before each retry with the number of events re-sent. */
  onRetry(events: number): void;
}

const itemRetryable = (status: unknown): boolean => typeof status === 'number' && isRetryableStatus(status);

/**
 * Sends one batch with `POST /api/v1/ingest/bulk` until every event is accepted, refused for good,
 * or `maxRetryMs` has passed: connection errors, time-outs, 408, 429 and 5xx are retried with
 * exponential backoff and jitter (at most 30 s a wait), honouring `Retry-After`; a bulk answer with
 * per-item errors re-sends only the items that failed with a retryable status, never one that
 * succeeded. Never throws.
 *
 * @example
 * ```ts
 * const outcome = await sendBatch({ remaining: events, claimed: false }, hooks);
 * ```
 */
export async function sendBatch(batch: BatchState, hooks: SendHooks): Promise<SendOutcome> {
  const out: SendOutcome = { permanent: [], leftover: [] };
  const deadline = Date.now() + hooks.maxRetryMs;
  for (let attempt = 0; ; attempt++) {
    if (hooks.signal.aborted || batch.claimed) return { ...out, leftover: batch.remaining, leftoverReason: 'shutdown' };
    let asked: number | undefined;
    let failure: unknown;
    try {
      const res: BulkIngestResult = await hooks.client.ingest.bulk(batch.remaining, { signal: hooks.signal });
      // The spec's answer: refused items by `item_index`; no per-item results (and no limit states).
      const errors = bulkItemErrors(res);
      const accepted: PayiEvent[] = [];
      const acceptedResults: (XproxyResult | null | undefined)[] = [];
      const retry: PayiEvent[] = [];
      batch.remaining.forEach((event, i) => {
        const e = errors.get(i);
        if (!e) {
          accepted.push(event);
          acceptedResults.push(undefined);
        } else if (itemRetryable(e.status)) {
          retry.push(event);
          failure = { status: e.status, code: e.code, message: `bulk item answered ${e.status}${e.message ? `: ${e.message}` : ''}` };
        } else {
          const reason = `refused with ${e.status ?? 'an error'}${e.code ? ` ${e.code}` : ''}${e.message ? `: ${e.message}` : ''}`;
          out.permanent.push({ events: [event], error: e, reason });
        }
      });
      if (!batch.claimed && accepted.length > 0) hooks.onAccepted(accepted, acceptedResults);
      batch.remaining = retry;
      if (retry.length === 0) return out;
    } catch (err) {
      if (hooks.signal.aborted || batch.claimed) return { ...out, leftover: batch.remaining, leftoverReason: 'shutdown', lastError: err };
      if (!isRetryableError(err)) {
        hooks.onAttemptFailed(err, false, undefined);
        out.permanent.push({ events: batch.remaining, error: err, reason: err instanceof Error ? err.message : String(err) });
        batch.remaining = [];
        return out;
      }
      failure = err;
      asked = retryAfterMsOf(err);
    }
    out.lastError = failure;
    const wait = Math.min(MAX_WAIT_MS, asked ?? backoffMs(attempt, MAX_WAIT_MS));
    const connection = isConnectionError(failure);
    if (Date.now() + wait > deadline) {
      hooks.onAttemptFailed(failure, connection, undefined);
      return { ...out, leftover: batch.remaining, leftoverReason: 'retries_exhausted' };
    }
    hooks.onAttemptFailed(failure, connection, wait);
    await sleep(wait, hooks.signal, true);
    if (!hooks.signal.aborted && !batch.claimed) hooks.onRetry(batch.remaining.length);
  }
}
