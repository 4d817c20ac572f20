import type { LimitStateName } from '../wire/types';
import { deriveLimitState } from '../wire/limits';
import type { LimitStateStore } from './store';

/** What the refresher needs of a client: `payi.limits.get` (`GET /api/v1/limits/{limit_id}`). */
export interface LimitReader {
  get(limitId: string, options?: { signal?: AbortSignal }): Promise<{ limit?: unknown } | unknown>;
}

/**
 * Learns limit states in batched mode, where the bulk answer carries none (contract §7): for each
 * limit id of delivered events it reads `GET /api/v1/limits/{limit_id}` in the background, derives
 * the state from `max`, `threshold`, `limit_type` and `totals` ({@link deriveLimitState}) and
 * records it in the store `enforceLimits` reads. Bounded in rate: at most one read per limit per
 * `intervalMs` (a request inside the interval is served once at its end, by an unref'd timer) and
 * one in flight per limit. Never on a provider call's path, never throws; failures go to `onError`.
 *
 * @example
 * ```ts
 * const refresher = new LimitRefresher(payi.limits, store, 5000);
 * refresher.seen(['daily']);
 * await refresher.idle();
 * ```
 */
export class LimitRefresher {
  private readonly lastRead = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly controller = new AbortController();
  private closed = false;

  constructor(
    private readonly reader: LimitReader,
    private readonly store: LimitStateStore,
    private readonly intervalMs: number,
    private readonly onError: (limitId: string, error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks for a fresh state of each limit id (delivered events' `limit_ids`). */
  seen(limitIds: Iterable<string>): void {
    try {
      for (const id of new Set(limitIds)) if (typeof id === 'string' && id !== '') this.schedule(id);
    } catch {
      /* never throws into delivery */
    }
  }

  private schedule(id: string): void {
    if (this.closed || this.timers.has(id)) return;
    if (this.inflight.has(id)) {
      this.again.add(id);
      return;
    }
    const wait = (this.lastRead.get(id) ?? -Infinity) + this.intervalMs - this.now();
    if (wait <= 0) {
      this.read(id);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.read(id);
    }, wait);
    timer.unref?.();
    this.timers.set(id, timer);
  }

  private read(id: string): void {
    if (this.closed) return;
    this.lastRead.set(id, this.now());
    const p = (async () => {
      try {
        const answer = (await this.reader.get(id, { signal: this.controller.signal })) as { limit?: Parameters<typeof deriveLimitState>[0] } | undefined;
        const state: LimitStateName | undefined = deriveLimitState(answer?.limit);
        if (state) this.store.set(id, state);
      } catch (err) {
        if (!this.closed) this.onError(id, err);
      }
    })().finally(() => {
      this.inflight.delete(id);
      if (this.again.delete(id)) this.schedule(id);
    });
    this.inflight.set(id, p);
  }

  /** Resolves when no read is in flight (reads waiting for their interval are not waited for). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight.values()]);
  }

  /** Stops: aborts reads in flight and clears waiting ones. */
  close(): void {
    this.closed = true;
    this.controller.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.again.clear();
  }
}
