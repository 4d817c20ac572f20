import { safeExecute } from '../../src/internal/logger';
import { observedNext } from '../shared/observe-next';

/** How a stream ended: read to its end, stopped early by the caller, or broken. */
export type StreamOutcome = 'completed' | 'abandoned' | 'failed';

/** What the wrapper reports. Both hooks run behind a safe-execute: a throw is logged, never raised. */
export interface StreamHooks<T> {
  /** Each event, as it passes to the caller. */
  onEvent(event: T): void;
  /** Once, when the stream ends, is stopped early, or fails (with the error). */
  onEnd(outcome: StreamOutcome, error?: unknown): void;
}

/**
 * Wraps an async iterable (the SDK's event stream) so that each event passes to the caller as it
 * arrives, unchanged and unbuffered, while the hooks see it. Iteration is the source's own: the
 * source's iterator is created when the caller starts iterating, and `return()` (an early `break`)
 * is forwarded to it. Each event is seen through {@link observedNext} (one `then` per event).
 *
 * @example
 * ```ts
 * output.stream = observeStream(output.stream, { onEvent: (e) => acc.add(e), onEnd: (o) => record(o) });
 * ```
 */
export function observeStream<T>(source: AsyncIterable<T>, hooks: StreamHooks<T>): AsyncIterable<T> {
  let ended = false;
  const end = (outcome: StreamOutcome, error?: unknown): void => {
    if (ended) return;
    ended = true;
    safeExecute('recording a Bedrock stream', () => hooks.onEnd(outcome, error), undefined);
  };
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const it = source[Symbol.asyncIterator]();
      const iterator: AsyncIterator<T> & AsyncIterable<T> = {
        next: observedNext(it, 'observing a Bedrock stream event', {
          item: (event) => hooks.onEvent(event),
          done: () => end('completed'),
          failed: (err) => end('failed', err),
        }),
        async return(value?: any): Promise<IteratorResult<T>> {
          end('abandoned');
          return it.return ? it.return(value) : { done: true, value };
        },
        async throw(error?: unknown): Promise<IteratorResult<T>> {
          end('failed', error);
          if (it.throw) return it.throw(error);
          throw error;
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  };
}
