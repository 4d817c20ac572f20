import { Payi } from '../client';
import { LimitRefresher } from '../limits/refresher';
import type { LimitStateStore } from '../limits/store';
import type { IngestClient, Settings } from '../options/types';
import { BatchPipeline } from './batched';
import { installExitHooks } from './exit-hooks';
import { sendInline } from './inline';
import { createOfflineDelivery } from './offline';
import { Reporter } from './report';
import { Spill } from './spill';
import { createStats, snapshot } from './stats';
import type { Delivery } from './types';

export type { Delivery, IngestStats } from './types';
export { replaySpillFile, type ReplayOptions, type ReplayResult } from './replay';

/** Resolves when `p` settles or after `ms` (an unref'd timer is enough: `p` keeps the loop busy). */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The client delivery sends with: `settings.payi`, else a `Payi` from `apiKey`/`baseUrl` (no client-level retries: delivery retries). */
function clientFor(settings: Settings): IngestClient {
  if (settings.payi) return settings.payi;
  return new Payi({
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    baseUrl: settings.baseUrl,
    timeoutMs: settings.ingest.requestTimeoutMs,
    maxRetries: 0,
  });
}

/**
 * Creates the delivery layer for the settings (contract §6): offline JSON lines when
 * `settings.offline` is set; else batched bulk delivery (and inline sends in `mode: 'inline'`)
 * through `settings.payi` or a {@link Payi} client built from `apiKey`/`baseUrl`, with retries,
 * a bounded queue, the spill file, stats, `onError`, and the `beforeExit` (and, with
 * `handleSignals`, SIGTERM/SIGINT) hooks. Limit states of every result go to `limits`.
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
  if (settings.offline) {
    const offline = createOfflineDelivery(settings.offline.file, logger);
    const removeHooks = installExitHooks(
      { busy: () => false, flushForExit: () => offline.flush(), spillNow: () => undefined },
      { handleSignals: false, logger },
    );
    return { ...offline, close: async () => { removeHooks(); await offline.close(); } };
  }

  const stats = createStats();
  const client = clientFor(settings);
  const reporter = new Reporter(logger, ingest.onError, ingest.connectionErrorLogWindowMs, [settings.apiKey]);
  const spill = new Spill(ingest.spillFile, stats, logger);
  // The bulk answer carries no limit states: with enforceLimits, read the limits of delivered events.
  const refresher = settings.enforceLimits && client.limits
    ? new LimitRefresher(client.limits, limits, ingest.limitRefreshMs, (id, err) => logger.debug({ err }, `payi: could not read limit ${id}`))
    : undefined;
  const pipeline = new BatchPipeline({ settings, client, limits, stats, reporter, spill, ...(refresher ? { refresher } : {}) });
  const inlineAbort = new AbortController();
  const inflight = new Set<Promise<unknown>>();
  let closed = false;

  const flushWithin = async (ms: number): Promise<void> => {
    const start = Date.now();
    await within(Promise.all([...inflight]), ms);
    await pipeline.flushWithin(Math.max(0, ms - (Date.now() - start)));
  };
  const removeHooks = installExitHooks(
    {
      busy: () => pipeline.busy || inflight.size > 0,
      flushForExit: () => flushWithin(ingest.shutdownTimeoutMs),
      spillNow: () => pipeline.abortAndSpill('were still in memory when the process exited'),
    },
    { handleSignals: ingest.handleSignals, logger },
  );

  return {
    submit(event) {
      try {
        pipeline.submit(event);
      } catch (err) {
        try {
          logger.error({ err }, 'payi: an event could not be queued');
        } catch {
          /* never throw into the provider call */
        }
      }
    },
    sendInline(event) {
      if (closed) {
        pipeline.submit(event);
        return Promise.resolve(undefined);
      }
      const p = sendInline(event, { client, limits, stats, reporter, spill, pipeline, signal: inlineAbort.signal });
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      return p;
    },
    async flush() {
      await Promise.all([...inflight]);
      await pipeline.flush();
      await refresher?.idle();
    },
    async close(timeoutMs = ingest.shutdownTimeoutMs) {
      if (closed) return;
      closed = true;
      removeHooks();
      await flushWithin(timeoutMs);
      inlineAbort.abort();
      refresher?.close();
      pipeline.stop();
      spill.flushSync();
    },
    stats: () => snapshot(stats),
  };
}
