import PQueue from 'p-queue';
import type { PayiEvent, XproxyResult } from '../events/types';
import type { Settings } from '../options/types';
import { deliverBatch, type BatchState, type DeliverHooks, type PermanentFailure } from './attempts';
import { eventBytes, fitEvent } from './oversize';
import { ingestError, type Reporter } from './report';
import { wholeEvent, type EventSink, type MeasuredEvent } from './sink';
import type { Spill } from './spill';
import type { IngestCounters } from './types';

interface LiveBatch extends BatchState {
  size: number;
  released: boolean;
}

/** What a sink's pipeline works with. */
export interface PipelineDeps {
  sink: EventSink;
  settings: Settings;
  /** This sink's counters. */
  stats: IngestCounters;
  reporter: Reporter;
  spill: Spill;
  /** Called with what the destination answered for each accepted event (limit states). */
  onResult?: (result: XproxyResult | undefined) => void;
  /** Called with the events the destination accepted (batched mode learns their limits' states). */
  onSentEvents?: (events: readonly PayiEvent[]) => void;
}

/**
 * The delivery pipeline of one sink (contract §6), written once against {@link EventSink}: events
 * wait in memory (at most `maxQueueSize`; more go to the spill file); a batch leaves at
 * `maxBatchSize` events, at `maxBatchBytes` bytes of JSON, or `flushIntervalMs` after its first
 * event (an unref'd timer); an event larger than `maxBatchBytes` on its own goes without its
 * prompt/response JSON. Batches are delivered through a `p-queue` with `concurrency` slots by
 * {@link deliverBatch}; what cannot be delivered is spilled and reported.
 *
 * @example
 * ```ts
 * const pipeline = new SinkPipeline(deps);
 * pipeline.submit(event);
 * await pipeline.flush();
 * ```
 */
export class SinkPipeline {
  private pending: PayiEvent[] = [];
  private pendingBytes = 0;
  /** Events queued but not yet measured: sized after the caller's call returns (one `setImmediate` for all). */
  private unmeasured: PayiEvent[] = [];
  /** Per unmeasured event, how to size it when the delivery shares one measurement between sinks. */
  private sizers: ((() => number) | undefined)[] = [];
  private measureScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly live = new Map<LiveBatch, Promise<void>>();
  private readonly queue: PQueue;
  private readonly controller = new AbortController();
  private readonly hooks: DeliverHooks;
  private readonly maxBatchSize: number;
  private readonly maxBatchBytes: number;
  private readonly flushIntervalMs: number;
  /** At most this many events in memory and a newly measured one should leave within the next few batches (see `EventSink.measure`). */
  private readonly soonLimit: number;
  private inMemory = 0;
  private closed = false;

  constructor(private readonly deps: PipelineDeps) {
    const { settings, stats, reporter, sink } = deps;
    const { ingest } = settings;
    this.maxBatchSize = sink.maxBatchSize ?? ingest.maxBatchSize;
    this.maxBatchBytes = sink.maxBatchBytes ?? ingest.maxBatchBytes;
    this.flushIntervalMs = sink.flushIntervalMs ?? ingest.flushIntervalMs;
    this.soonLimit = this.maxBatchSize * (ingest.concurrency + 1);
    this.queue = new PQueue({ concurrency: ingest.concurrency });
    this.hooks = {
      sink,
      maxRetryMs: ingest.maxRetryMs,
      // the HTTP client times out at requestTimeoutMs itself; this catches a sink that never answers
      attemptTimeoutMs: ingest.requestTimeoutMs + 1000,
      signal: this.controller.signal,
      onSent: (events, results) => {
        stats.sent += events.length;
        const onResult = deps.onResult;
        if (onResult) for (const r of results) onResult(r);
        deps.onSentEvents?.(events);
      },
      onAttemptFailed: (error, connection, waitMs) => reporter.attemptFailed(error, connection, waitMs),
      onRetry: () => {
        stats.retried++;
      },
    };
  }

  /** The sink this pipeline delivers to. */
  get sink(): EventSink {
    return this.deps.sink;
  }

  /** True while events wait in memory or are being sent. */
  get busy(): boolean {
    return this.inMemory > 0;
  }

  /** Whether delivery was closed. */
  get isClosed(): boolean {
    return this.closed;
  }

  private setQueued(delta: number): void {
    this.inMemory += delta;
    this.deps.stats.queued = this.inMemory;
  }

  /**
   * Queues one event (`bytes`: its size as JSON, or how to get it, when another pipeline shares
   * the measurement); spills it when `maxQueueSize`
   * events already wait or delivery is closed. An event is measured off the caller's path, in a
   * `setImmediate` shared by every event queued meanwhile, unless it fills the batch by count, so a
   * provider call returns before its event is measured.
   */
  submit(event: PayiEvent, bytes?: number | (() => number)): void {
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
    this.setQueued(1);
    if (typeof bytes === 'number') {
      this.place(event, bytes);
      return;
    }
    this.unmeasured.push(event);
    this.sizers.push(bytes);
    if (this.pending.length + this.unmeasured.length >= this.maxBatchSize) this.measure();
    else if (!this.measureScheduled) {
      this.measureScheduled = true;
      setImmediate(() => this.measure());
    }
  }

  /** Sizes the events not yet measured and puts them in the batch (cutting it by bytes and count). */
  private measure(): void {
    this.measureScheduled = false;
    const events = this.unmeasured;
    if (events.length === 0) return;
    const sizers = this.sizers;
    this.unmeasured = [];
    this.sizers = [];
    // The sink's own measure when it has one (exact, and it may keep the JSON for the request
    // while the queue is short); else the shared or the pipeline's upper bound.
    const soon = this.inMemory <= this.soonLimit;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const measured = this.sinkMeasure(event, soon);
      // a stand-in is held in the event's place, unless the event must go without its payload (fitEvent needs it whole)
      if (typeof measured === 'object' && measured.bytes <= this.maxBatchBytes) this.place(measured.event, measured.bytes);
      else this.place(event, (typeof measured === 'object' ? measured.bytes : measured) ?? sizers[i]?.() ?? eventBytes(event));
    }
  }

  /** The sink's `measure` of `event`, or `undefined` when it has none, leaves it to the default, or failed (never throws). */
  private sinkMeasure(event: PayiEvent, soon: boolean): number | MeasuredEvent | undefined {
    const sink = this.deps.sink;
    if (!sink.measure) return undefined;
    const size = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    try {
      const m = sink.measure(event, soon);
      if (size(m)) return m;
      if (m !== null && typeof m === 'object' && size(m.bytes) && m.event !== null && typeof m.event === 'object' && typeof sink.restore === 'function') return m;
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** The whole events behind `events` (stand-ins the sink's `measure` made, restored). */
  private whole(events: readonly PayiEvent[]): PayiEvent[] {
    return events.map((e) => wholeEvent(this.deps.sink, e));
  }

  /** Puts one measured event in the batch: without its payload when it is too large alone; cuts by bytes and count. */
  private place(event: PayiEvent, bytes: number): void {
    const fit = fitEvent(event, bytes, this.maxBatchBytes);
    const e = fit.event;
    const size = fit.bytes;
    if (this.pending.length > 0 && this.pendingBytes + size + 1 > this.maxBatchBytes) this.cutPending();
    this.pending.push(e);
    this.pendingBytes += size + 1;
    if (this.pending.length >= this.maxBatchSize || this.pendingBytes >= this.maxBatchBytes) this.cutPending();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.cut(), this.flushIntervalMs);
      this.timer.unref?.();
    }
  }

  /** Sends the waiting events as a batch now (measuring those not yet measured). */
  cut(): void {
    this.measure();
    this.cutPending();
  }

  private cutPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch: LiveBatch = { open: new Set(this.pending), claimed: false, size: this.pending.length, released: false };
    this.pending = [];
    this.pendingBytes = 0;
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
    this.deps.spill.put(this.whole(events));
    const where = this.deps.spill.path === false ? 'they are lost (spillFile: false)' : `spilled to ${this.deps.spill.path}`;
    this.deps.reporter.failure(ingestError(`payi: ${message}; ${where}`, cause, this.deps.reporter.secrets, code));
  }

  private failPermanent(permanent: readonly PermanentFailure[]): void {
    const groups = new Map<string, { events: PayiEvent[]; error: unknown }>();
    for (const p of permanent) {
      const g = groups.get(p.reason) ?? { events: [], error: p.error };
      g.events.push(...p.events);
      groups.set(p.reason, g);
    }
    for (const [reason, g] of groups) this.fail(g.events, `${g.events.length} events not delivered${this.label}: ${reason}`, g.error);
  }

  /** ` to sink NAME` for sinks other than Pay-i, so log lines say where. */
  private get label(): string {
    return this.deps.sink.name === 'payi' ? '' : ` to sink ${this.deps.sink.name}`;
  }

  private async run(batch: LiveBatch): Promise<void> {
    try {
      if (batch.claimed) return;
      const outcome = await deliverBatch(batch, this.hooks);
      // Refused items are no longer open: report them even if a shutdown took over the rest.
      this.failPermanent(outcome.permanent);
      if (batch.claimed) return;
      batch.claimed = true;
      const left = [...batch.open];
      if (left.length > 0) {
        const last = (outcome.lastError as { message?: unknown } | undefined)?.message;
        const shutdown = outcome.leftoverReason === 'shutdown';
        const why = shutdown
          ? 'delivery was closed before they were sent'
          : `still failing after ${this.deps.settings.ingest.maxRetryMs} ms of retries${typeof last === 'string' ? ` (${last})` : ''}`;
        this.fail(left, `${left.length} events not delivered${this.label}: ${why}`, outcome.lastError, shutdown ? 'shutdown' : undefined);
      }
    } catch (err) {
      if (!batch.claimed) {
        batch.claimed = true;
        this.fail([...batch.open], `${batch.open.size} events not delivered${this.label}: delivery failed unexpectedly`, err, 'internal_error');
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

  /**
   * Stops delivery now (synchronously): aborts requests and waits; events still in memory go to
   * the sink's `sendSync` when it has one, else (and what that did not take) to the spill file.
   */
  abortAndSpill(why: string): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller.abort();
    let left: PayiEvent[] = [...this.pending, ...this.unmeasured];
    this.setQueued(-left.length);
    this.pending = [];
    this.unmeasured = [];
    this.sizers = [];
    this.pendingBytes = 0;
    for (const batch of [...this.live.keys()]) {
      if (batch.claimed) continue;
      batch.claimed = true;
      left.push(...batch.open);
      this.release(batch);
    }
    left = this.sendSync(left);
    this.fail(left, `${left.length} events${this.label} ${why}`, undefined, 'shutdown_timeout');
    this.deps.spill.flushSync();
  }

  /** Hands `events` to the sink's `sendSync`, if any; returns what it did not accept. */
  private sendSync(events: PayiEvent[]): PayiEvent[] {
    const sendSync = this.deps.sink.sendSync?.bind(this.deps.sink);
    if (!sendSync || events.length === 0) return events;
    events = this.whole(events);
    try {
      const outcomes = sendSync(events);
      const rest = events.filter((_, i) => outcomes[i]?.status !== 'sent');
      this.deps.stats.sent += events.length - rest.length;
      return rest;
    } catch {
      return events;
    }
  }

  /** Stops the batch timer and marks delivery closed (after a successful flush). */
  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
