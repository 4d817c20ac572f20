import type { PayiEvent, XproxyResult } from '../events/types';
import { hasPayload, withoutPayload } from './oversize';
import { CONNECTION_ERROR, TIMEOUT_ERROR, deliveryWaitMs, isConnectionError, isRetryableError, retryAfterMsOf, sleep } from './retry-policy';
import { wholeEvent, type EventSink, type SinkOutcome } from './sink';

/** A batch on its way: `open` holds the events not yet accepted or given up. */
export interface BatchState {
  open: Set<PayiEvent>;
  /** Set when someone else (a shutdown time-out) took over the open events. */
  claimed: boolean;
}

/** Events the destination refused for good, with the reason. */
export interface PermanentFailure {
  events: PayiEvent[];
  /** The per-item error or the request's error. */
  error: unknown;
  /** How the reason reads in a log line. */
  reason: string;
}

/** What happened to a batch (what is still `open` afterwards was not delivered in time). */
export interface DeliverOutcome {
  permanent: PermanentFailure[];
  /** Why events are still open: retries ran out, or delivery was closed. */
  leftoverReason?: 'retries_exhausted' | 'shutdown';
  /** The last error seen, for the leftover's report. */
  lastError?: unknown;
}

/** What {@link deliverBatch} needs. */
export interface DeliverHooks {
  sink: EventSink;
  maxRetryMs: number;
  /** How long one `send` may take before it is aborted and counted as an attempt without answer. */
  attemptTimeoutMs: number;
  /** Aborts waits and requests (shutdown time-out). */
  signal: AbortSignal;
  /** Called with accepted events and what the destination answered for each. */
  onSent(events: PayiEvent[], results: (XproxyResult | undefined)[]): void;
  /** Called for each failed attempt; `waitMs` undefined when there will be no retry. */
  onAttemptFailed(error: unknown, connection: boolean, waitMs: number | undefined): void;
  /** Called before each further request with the number of events in it. */
  onRetry(events: number): void;
}

const describe = (error: unknown): string => {
  const m = (error as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(error);
};

/** One outcome per event from a sink that threw `error`, by the retry policy. */
function outcomesOfThrow(error: unknown, n: number): SinkOutcome[] {
  const status = (error as { status?: unknown } | null)?.status;
  const reason = describe(error);
  const one: SinkOutcome = status === 413
    ? { status: 'failed', reason, error, tooLarge: true }
    : isRetryableError(error)
      ? { status: 'retryable', reason, error, answerLost: isConnectionError(error) }
      : { status: 'failed', reason, error };
  return Array.from({ length: n }, () => one);
}

/** The failure given to an attempt that outlived `attemptTimeoutMs` (its answer is lost). */
function timedOut(sink: string, ms: number): Error {
  return Object.assign(new Error(`sink ${sink} gave no answer within ${ms} ms`), { code: TIMEOUT_ERROR });
}

async function attempt(events: PayiEvent[], attemptNo: number, answerLost: boolean, hooks: DeliverHooks): Promise<readonly SinkOutcome[]> {
  // Each attempt has its own signal: aborted by shutdown, or when the sink outlives attemptTimeoutMs.
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  hooks.signal.addEventListener('abort', stop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timedOut(hooks.sink.name, hooks.attemptTimeoutMs));
    }, hooks.attemptTimeoutMs);
    timer.unref?.();
  });
  try {
    const sent = Promise.resolve().then(() => hooks.sink.send(events, { signal: controller.signal, attempt: attemptNo, answerLost }));
    const outcomes = await Promise.race([sent, expired]);
    if (!Array.isArray(outcomes) || outcomes.length !== events.length) {
      // A sink that does not say what happened to each event: retry them all, as if no answer came.
      const n = Array.isArray(outcomes) ? outcomes.length : 'no';
      return outcomesOfThrow(Object.assign(new Error(`sink ${hooks.sink.name} answered ${n} outcomes for ${events.length} events`), { code: CONNECTION_ERROR }), events.length);
    }
    return outcomes;
  } catch (err) {
    return outcomesOfThrow(err, events.length);
  } finally {
    clearTimeout(timer);
    hooks.signal.removeEventListener('abort', stop);
  }
}

/**
 * Delivers one batch through `hooks.sink` until every event is accepted, refused for good, or
 * `maxRetryMs` has passed (contract §6): retryable outcomes are re-sent with backoff and jitter
 * (at most 30 s a wait, `Retry-After` honoured), never an event that was accepted; refused ones
 * are returned as permanent failures; a batch refused as too large (413) is split in halves, and a
 * single event too large is sent once more without its prompt/response JSON. After an attempt
 * whose answer was lost the next one is flagged `answerLost` (the sink makes it idempotent).
 * Never throws.
 *
 * @example
 * ```ts
 * const outcome = await deliverBatch({ open: new Set(events), claimed: false }, hooks);
 * ```
 */
export async function deliverBatch(batch: BatchState, hooks: DeliverHooks): Promise<DeliverOutcome> {
  const out: DeliverOutcome = { permanent: [] };
  const deadline = Date.now() + hooks.maxRetryMs;
  const stopped = (): boolean => hooks.signal.aborted || batch.claimed;

  const run = async (first: PayiEvent[], lostBefore: boolean): Promise<void> => {
    let events = first;
    let answerLost = lostBefore;
    for (let n = 0; ; n++) {
      if (stopped()) {
        out.leftoverReason = 'shutdown';
        return;
      }
      const outcomes = await attempt(events, n, answerLost, hooks);
      if (stopped()) {
        out.leftoverReason = 'shutdown';
        return;
      }
      const sent: PayiEvent[] = [];
      const results: (XproxyResult | undefined)[] = [];
      const retry: PayiEvent[] = [];
      const tooLarge: PayiEvent[] = [];
      let asked: number | undefined;
      let failure: unknown;
      let lost = false;
      events.forEach((event, i) => {
        const o = outcomes[i]!;
        if (o.status === 'sent') {
          sent.push(event);
          results.push(o.result);
          batch.open.delete(event);
        } else if (o.status === 'retryable') {
          retry.push(event);
          failure = o.error ?? { message: o.reason };
          asked = o.retryAfterMs ?? retryAfterMsOf(o.error) ?? asked;
          lost ||= o.answerLost === true;
        } else if (o.tooLarge) {
          tooLarge.push(event);
        } else {
          batch.open.delete(event);
          out.permanent.push({ events: [event], error: o.error ?? { message: o.reason }, reason: o.reason });
        }
      });
      if (sent.length > 0) hooks.onSent(sent, results);
      if (tooLarge.length > 1) {
        const half = Math.ceil(tooLarge.length / 2);
        hooks.onRetry(half);
        await run(tooLarge.slice(0, half), answerLost);
        hooks.onRetry(tooLarge.length - half);
        await run(tooLarge.slice(half), answerLost);
      } else if (tooLarge.length === 1) {
        const held = tooLarge[0]!;
        batch.open.delete(held);
        const big = wholeEvent(hooks.sink, held); // a stand-in's prompt and response are in its kept bytes
        if (hasPayload(big)) {
          const slim = withoutPayload(big);
          batch.open.add(slim);
          hooks.onRetry(1);
          await run([slim], answerLost);
        } else {
          out.permanent.push({ events: [big], error: { status: 413 }, reason: 'too large for the service even without its prompt/response JSON (413)' });
        }
      }
      if (retry.length === 0 || stopped()) return;
      answerLost ||= lost;
      out.lastError = failure;
      const wait = deliveryWaitMs(n, asked);
      const connection = isConnectionError(failure);
      if (Date.now() + wait > deadline) {
        hooks.onAttemptFailed(failure, connection, undefined);
        out.leftoverReason ??= 'retries_exhausted';
        return;
      }
      hooks.onAttemptFailed(failure, connection, wait);
      await sleep(wait, hooks.signal, true);
      if (stopped()) {
        out.leftoverReason = 'shutdown';
        return;
      }
      hooks.onRetry(retry.length);
      events = retry;
    }
  };

  await run([...batch.open], false);
  return out;
}
