import type { PayiEvent, XproxyResult } from '../events/types';
import { LimitRefresher } from '../limits/refresher';
import { eventBytes } from './oversize';
import type { LimitStateStore } from '../limits/store';
import type { Settings } from '../options/types';
import { installExitHooks } from './exit-hooks';
import { SinkPipeline } from './pipeline';
import { ingestError, Reporter } from './report';
import { outcomeOfError } from './sinks/payi-inline';
import { sinksFor, spillFileFor } from './sinks';
import type { EventSink } from './sink';
import { Spill } from './spill';
import { createStats, snapshot } from './stats';
import type { Delivery, IngestCounters } from './types';

export type { Delivery, IngestCounters, IngestStats } from './types';
export type { EventSink, MeasuredEvent, SinkOutcome, SinkSendContext } from './sink';
export { replaySpillFile, type ReplayOptions, type ReplayResult } from './replay';

/** One sink with its pipeline, counters and spill file. */
interface Lane {
  sink: EventSink;
  stats: IngestCounters;
  spill: Spill;
  reporter: Reporter;
  pipeline: SinkPipeline;
}

/** Resolves when `p` settles or after `ms` (an unref'd timer is enough: `p` keeps the loop busy). */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const quietly = (f: () => void): void => {
  try {
    f();
  } catch {
    /* delivery never throws into the provider call */
  }
};

/**
 * Creates the delivery layer for the settings (contract §6): one {@link SinkPipeline} per sink
 * ({@link sinksFor}: Pay-i bulk, or the offline file; the Pay-i inline sink for first sends in
 * `mode: 'inline'`; every sink of `ingest.sinks`), each with its own queue, retries, spill file and
 * counters, so one sink failing or hanging never holds another back; the `beforeExit`, `exit` and
 * (by default) SIGTERM/SIGINT hooks. Limit states of the primary sink's results go to `limits`.
 * Never throws into the caller after construction.
 *
 * @example
 * ```ts
 * const delivery = createDelivery(resolveOptions({ baseUrl: 'http://127.0.0.1:7480' }), new LimitStateStore());
 * delivery.submit(event);
 * await delivery.close(5000);
 * ```
 */
export function createDelivery(settings: Settings, limits: LimitStateStore): Delivery {
  const { ingest, logger } = settings;
  const sinks = sinksFor(settings);
  const record = (r: XproxyResult | undefined): void => {
    if (r) limits.record(r);
  };
  // The bulk answer carries no limit states: with enforceLimits, read the limits of delivered events.
  const reader = sinks.client?.limits;
  const refresher = settings.enforceLimits && reader
    ? new LimitRefresher(reader, limits, ingest.limitRefreshMs, (id, err) => logger.debug({ err }, `payi: could not read limit ${id}`))
    : undefined;
  const learn = refresher ? { onSentEvents: (events: readonly PayiEvent[]) => refresher.seen(events.flatMap((e) => e.limit_ids ?? [])) } : {};
  const lanes: Lane[] = [sinks.primary, ...sinks.extra].map((sink, i) => {
    const stats = createStats();
    const reporter = new Reporter(logger, ingest.onError, ingest.connectionErrorLogWindowMs, [settings.apiKey]);
    const spill = new Spill(spillFileFor(ingest.spillFile, sink.name, i === 0), stats, logger);
    const pipeline = new SinkPipeline({ sink, settings, stats, reporter, spill, ...(i === 0 ? { onResult: record, ...learn } : {}) });
    return { sink, stats, spill, reporter, pipeline };
  });
  const primary = lanes[0]!;
  const others = lanes.slice(1);
  const inlineAbort = new AbortController();
  const inflight = new Set<Promise<unknown>>();
  let closed = false;
  /** Tasks deferred off the provider calls' path (`defer`), run together. */
  let deferred: (() => void)[] = [];
  let drainScheduled = false;
  const drain = (): void => {
    drainScheduled = false;
    while (deferred.length > 0) {
      const tasks = deferred;
      deferred = [];
      for (const task of tasks) quietly(task);
    }
  };

  const submitTo = (list: readonly Lane[], event: Parameters<Delivery['submit']>[0]): void => {
    // Each pipeline measures off the call path; with several sinks the first measurement serves all.
    let bytes: number | undefined;
    const size = list.length > 1 ? (): number => (bytes ??= eventBytes(event)) : undefined;
    for (const lane of list) {
      try {
        lane.pipeline.submit(event, size);
      } catch (err) {
        quietly(() => logger.error({ err }, `payi: an event could not be queued for sink ${lane.sink.name}`));
      }
    }
  };
  const flushWithin = async (ms: number): Promise<void> => {
    drain();
    const start = Date.now();
    await within(Promise.all([...inflight]), ms);
    drain(); // what ended meanwhile
    const left = Math.max(0, ms - (Date.now() - start));
    await Promise.all(lanes.map((l) => l.pipeline.flushWithin(left)));
  };
  const spillNow = (): void => {
    drain();
    for (const lane of lanes) quietly(() => lane.pipeline.abortAndSpill('were still in memory when the process exited'));
  };
  const removeHooks = installExitHooks(
    {
      busy: () => deferred.length > 0 || inflight.size > 0 || lanes.some((l) => l.pipeline.busy),
      flushForExit: () => flushWithin(ingest.shutdownTimeoutMs),
      spillNow,
    },
    { handleSignals: ingest.handleSignals, logger },
  );

  const inline = async (event: Parameters<Delivery['submit']>[0], sink: EventSink): Promise<XproxyResult | undefined> => {
    let outcome;
    try {
      [outcome] = await sink.send([event], { signal: inlineAbort.signal, attempt: 0, answerLost: false });
    } catch (err) {
      outcome = outcomeOfError(err);
    }
    try {
      if (outcome?.status === 'sent') {
        primary.stats.sent++;
        record(outcome.result);
        return outcome.result ?? {};
      }
      if (outcome && outcome.status === 'failed' && !outcome.tooLarge) {
        primary.spill.put([event]);
        primary.reporter.failure(ingestError(`payi: 1 event not delivered inline: ${outcome.reason}; spilled to ${primary.spill.where}`, outcome.error, primary.reporter.secrets));
        return undefined;
      }
      // Retryable (or too large: the pipeline strips or splits): retried in the background, not on the call's path.
      if (outcome?.status === 'retryable') primary.reporter.attemptFailed(outcome.error, outcome.answerLost === true, 0);
      primary.stats.retried++;
      submitTo([primary], event);
    } catch {
      /* delivery never throws into the provider call */
    }
    return undefined;
  };

  return {
    submit(event) {
      submitTo(lanes, event);
    },
    defer(task) {
      // Closing: made now, as before deferral, so it still reaches the pipelines being flushed.
      if (closed) return quietly(task);
      deferred.push(task);
      if (drainScheduled) return;
      drainScheduled = true;
      setImmediate(drain);
    },
    sendInline(event) {
      if (closed || !sinks.inline) {
        submitTo(lanes, event);
        return Promise.resolve(undefined);
      }
      submitTo(others, event);
      const p = inline(event, sinks.inline);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      return p;
    },
    async flush() {
      drain();
      await Promise.all([...inflight]);
      drain(); // what ended meanwhile
      await Promise.all(lanes.map((l) => l.pipeline.flush()));
      await refresher?.idle();
    },
    async close(timeoutMs = ingest.shutdownTimeoutMs) {
      if (closed) return;
      closed = true;
      removeHooks();
      const start = Date.now();
      await flushWithin(timeoutMs);
      inlineAbort.abort();
      refresher?.close();
      for (const lane of lanes) {
        lane.pipeline.stop();
        lane.spill.flushSync();
      }
      const left = Math.max(100, timeoutMs - (Date.now() - start));
      await Promise.all(lanes.map((l) => within(Promise.resolve().then(() => l.sink.close?.()), left)));
    },
    stats() {
      drain();
      const sinkStats: Record<string, IngestCounters> = {};
      for (const lane of lanes) sinkStats[lane.sink.name] = snapshot(lane.stats);
      return { ...snapshot(primary.stats), sinks: sinkStats };
    },
  };
}
