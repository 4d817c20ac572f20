// TEMPORARY minimal delivery so the rest of the SDK can be built against the interface;
// replaced by the full delivery module (p-queue, retries, spill, exit hooks).
import type { PayiEvent, XproxyResult } from '../events/types';
import type { LimitStateStore } from '../limits/store';
import type { Settings } from '../options/types';
import type { Delivery, IngestStats } from './types';

export type { Delivery, IngestStats } from './types';

/** Creates the delivery layer for the settings. */
export function createDelivery(settings: Settings, limits: LimitStateStore): Delivery {
  let pending: PayiEvent[] = [];
  const stats: IngestStats = { queued: 0, sent: 0, failed: 0, spilled: 0, retried: 0 };
  const inflight = new Set<Promise<void>>();
  const headers = { 'content-type': 'application/json', ...(settings.apiKey ? { 'xProxy-api-key': settings.apiKey } : {}) };
  const send = (events: PayiEvent[]): void => {
    const p = (async () => {
      try {
        const res = settings.payi
          ? await settings.payi.ingest.bulk(events)
          : await (await fetch(`${settings.baseUrl}/api/v1/ingest/bulk`, { method: 'POST', headers, body: JSON.stringify({ events }) })).json();
        for (const r of (res as { results?: XproxyResult[] }).results ?? []) limits.record(r);
        stats.sent += events.length;
      } catch {
        stats.failed += events.length;
      } finally {
        stats.queued -= events.length;
      }
    })();
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const drain = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    send(batch);
  };
  return {
    submit(event) {
      pending.push(event);
      stats.queued++;
      if (pending.length >= settings.ingest.maxBatchSize) drain();
      else setTimeout(drain, settings.ingest.flushIntervalMs).unref();
    },
    async sendInline(event) {
      try {
        const res = settings.payi
          ? await settings.payi.ingest.units(event)
          : ((await (await fetch(`${settings.baseUrl}/api/v1/ingest?id=${event.provider_response_id}`, { method: 'POST', headers, body: JSON.stringify(event) })).json()) as { xproxy_result?: XproxyResult }).xproxy_result;
        limits.record(res);
        stats.sent++;
        return res;
      } catch {
        stats.failed++;
        return undefined;
      }
    },
    async flush() {
      drain();
      await Promise.all([...inflight]);
    },
    async close() {
      drain();
      await Promise.all([...inflight]);
    },
    stats: () => ({ ...stats }),
  };
}
