import { safeExecute } from '../../src/internal/logger';

/** What {@link observedNext} tells about one async iterator as it is read. */
export interface NextObserver<T> {
  /** Each item, as it passes to the caller. A throw is logged, never raised. */
  item(value: T): void;
  /** Once the source says it is done. */
  done(): void;
  /** When the source's `next()` throws or rejects (the error still reaches the caller). Must not throw. */
  failed(error: unknown): void;
}

/**
 * A `next()` for an iterator wrapped around `source`: it hands on the source's own results,
 * unchanged, as they arrive, and tells `observer` about each. One `then` per item, and the
 * handlers are made here, once per iterator, not per item: before Node 24 every promise pays the
 * promise hooks `AsyncLocalStorage` installs, and an `async next()` or an `async function*`
 * costs about three per item (docs/performance.md, seventh pass).
 *
 * @example
 * ```ts
 * const it = source[Symbol.asyncIterator]();
 * const next = observedNext(it, 'observing a stream event', { item: (e) => acc.add(e), done: () => end('completed'), failed: (err) => end('failed', err) });
 * ```
 */
export function observedNext<T>(source: AsyncIterator<T>, what: string, observer: NextObserver<T>): (...args: [] | [unknown]) => Promise<IteratorResult<T>> {
  const onResult = (r: IteratorResult<T>): IteratorResult<T> => {
    if (r.done) observer.done();
    else {
      try {
        observer.item(r.value);
      } catch (err) {
        safeExecute(
          what,
          () => {
            throw err;
          },
          undefined,
        );
      }
    }
    return r;
  };
  const onError = (err: unknown): never => {
    observer.failed(err);
    throw err;
  };
  return (...args) => {
    let pending: Promise<IteratorResult<T>>;
    try {
      pending = source.next(...args);
    } catch (err) {
      observer.failed(err);
      return Promise.reject(err as Error);
    }
    return Promise.resolve(pending).then(onResult, onError);
  };
}
