import PQueue from 'p-queue';
import type { PayiEvent } from '../events/types';
import type { LimitRefresher } from '../limits/refresher';
import type { LimitStateStore } from '../limits/store';
import type { IngestClient, Settings } from '../options/types';
import { ingestError, type Reporter } from './report';
import { sendBatch, type BatchState, type SendHooks, type SendOutcome } from './sender';
import type { Spill } from './spill';
import type { IngestStats } from './types';

interface LiveBatch extends BatchState {
  size: number;
  released: boolean;
}

/** What the batch pipeline works with. */
export interface PipelineDeps {
  settings: Settings;
  client: IngestClient;
  limits: LimitStateStore;
  stats: IngestStats;
  reporter: Reporter;
  spill: Spill;
  /** Batched mode: learns the limit states of delivered events' limits (the bulk answer has none). */
  refresher?: LimitRefresher;
}

/**
 * Batched delivery (contract §6): events wait in memory (at most `maxQueueSize`; more go to the
 * spill file), a batch leaves at `maxBatchSize` events or `flushIntervalMs` after its first event
 * (an unref'd timer), and batches are sent through a `p-queue` with `concurrency` slots by
 * {@link sendBatch}. What cannot be delivered is spilled and reported.
 *
 * @example
 * ```ts
 * const pipeline = new BatchPipeline(deps);
 * pipeline.submit(event);
 * await pipeline.flush();
 * ```
 */
export class BatchPipeline {
  private pending: PayiEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly live = new Map<LiveBatch, Promise<void>>();
  private readonly queue: PQueue;
  private readonly controller = new AbortController();
  private readonly hooks: SendHooks;
  private inMemory = 0;
  private closed = false;

  constructor(private readonly deps: PipelineDeps) {
    const { settings, stats, limits, reporter, client } = deps;
    this.queue = new PQueue({ concurrency: settings.ingest.concurrency });
    this.hooks = {
      client,
      maxRetryMs: settings.ingest.maxRetryMs,
      signal: this.controller.signal,
      onAccepted: (events, results) => {
        stats.sent += events.length;
        for (const r of results) limits.record(r);
        deps.refresher?.seen(events.flatMap((e) => e.limit_ids ?? []));
      },
      onAttemptFailed: (error, connection, waitMs) => reporter.attemptFailed(error, connection, waitMs),
      onRetry: () => {
        stats.retried++;
      },
    };
  }

  /** True while events wait in memory or are being sent. */
  get busy(): boolean {
    return this.inMemory > 0;
  }

  /** Whether {@link close} has run. */
  get isClosed(): boolean {
    return this.closed;
  }

  private setQueued(delta: number): void {
    this.inMemory += delta;
    this.deps.stats.queued = this.inMemory;
  }

  /** Queues one event; spills it when `maxQueueSize` events already wait or delivery is closed. */
  submit(event: PayiEvent): void {
    const { ingest } = this.deps.settings;
    if (this.closed) {
      this.deps.spill.put([event]);
      this.deps.reporter.afterClose(1, this.deps.spill.where);
      return;
    }
    if (this.inMemory >= ingest.maxQueueSize) {
      this.deps.spill.put([event]);
      this.deps.reporter.overflow(1, ingest.maxQueueSize, this.deps.spill.where);
      return;
    }
    this.pending.push(event);
    this.setQueued(1);
    if (this.pending.length >= ingest.maxBatchSize) this.cut();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.cut(), ingest.flushIntervalMs);
      this.timer.unref?.();
    }
  }

  /** Sends the waiting events as a batch now. */
  cut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch: LiveBatch = { remaining: this.pending, claimed: false, size: this.pending.length, released: false };
    this.pending = [];
    const done = this.queue.add(() => this.run(batch)).catch(() => undefined);
    this.live.set(batch, done);
  }

  private release(batch: LiveBatch): void {
    if (batch.released) return;
    batch.released = true;
    this.live.delete(batch);
    this.setQueued(-batch.size);
  }

  private fail(events: readonly PayiEvent[], message: string, cause: unknown, code?: string): void {
    if (events.length === 0) return;
    this.deps.spill.put(events);
    const where = this.deps.spill.path === false ? 'they are lost (spillFile: false)' : `spilled to ${this.deps.spill.path}`;
    this.deps.reporter.failure(ingestError(`payi: ${message}; ${where}`, cause, this.deps.reporter.secrets, code));
  }

  private failPermanent(permanent: SendOutcome['permanent']): void {
    const groups = new Map<string, { events: PayiEvent[]; error: unknown }>();
    for (const p of permanent) {
      const g = groups.get(p.reason) ?? { events: [], error: p.error };
      g.events.push(...p.events);
      groups.set(p.reason, g);
    }
    for (const [reason, g] of groups) this.fail(g.events, `${g.events.length} events not delivered: ${reason}`, g.error);
  }

  private async run(batch: LiveBatch): Promise<void> {
    try {
      if (batch.claimed) return;
      const outcome = await sendBatch(batch, this.hooks);
      // Refused items are no longer in `remaining`: report them even if a shutdown took over the rest.
      this.failPermanent(outcome.permanent);
      if (batch.claimed) return;
      batch.claimed = true;
      if (outcome.leftover.length > 0) {
        const last = (outcome.lastError as { message?: unknown } | undefined)?.message;
        const why = outcome.leftoverReason === 'shutdown'
          ? 'delivery was closed before they were sent'
          : `still failing after ${this.deps.settings.ingest.maxRetryMs} ms of retries${typeof last === 'string' ? ` (${last})` : ''}`;
        this.fail(outcome.leftover, `${outcome.leftover.length} events not delivered: ${why}`, outcome.lastError, outcome.leftoverReason === 'shutdown' ? 'shutdown' : undefined);
      }
    } catch (err) {
      if (!batch.claimed) {
        batch.claimed = true;
        this.fail(batch.remaining, `${batch.remaining.length} events not delivered: delivery failed unexpectedly`, err, 'internal_error');
      }
    } finally {
      this.release(batch);
    }
  }

  /** Resolves when every event submitted so far is delivered or spilled. */
  async flush(): Promise<void> {
    this.cut();
    await Promise.all([...this.live.values()]);
    this.deps.spill.flushSync();
  }

  /**
   * Flushes, waiting at most `timeoutMs` (a ref'd timer: the process stays up that long); then
   * aborts what is in flight and spills every event still in memory. Resolves to true when
   * everything was delivered or spilled in time.
   */
  async flushWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = await Promise.race([this.flush().then(() => true), timeout]);
    clearTimeout(timer);
    if (!done) this.abortAndSpill(`not delivered within the shutdown time-out (${timeoutMs} ms)`);
    return done;
  }

  /** Stops delivery: aborts requests and waits, and spills every event still in memory. */
  abortAndSpill(why: string): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller.abort();
    const left: PayiEvent[] = [...this.pending];
    this.setQueued(-this.pending.length);
    this.pending = [];
    for (const batch of [...this.live.keys()]) {
      if (batch.claimed) continue;
      batch.claimed = true;
      left.push(...batch.remaining);
      this.release(batch);
    }
    this.fail(left, `${left.length} events ${why}`, undefined, 'shutdown_timeout');
    this.deps.spill.flushSync();
  }

  /** Stops the batch timer and marks delivery closed (after a successful flush). */
  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
