import type Database from 'better-sqlite3';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { openDatabase } from './db/open';
import { type CollectorOptions, resolveCollectorOptions } from './options';
import { Pricing } from './pricing/cost';
import { recomputeCosts } from './recompute';
import { buildCollectorApp } from './server';
import { type CollectorStore, createStore } from './store';

export type { CollectorLogger, CollectorOptions } from './options';
export { DEFAULT_COLLECTOR_PORT, resolveCollectorOptions } from './options';
export { costReport, REPORT_DIMENSIONS, type CostReportRow, type ReportDimension } from './report';
export { recomputeCosts, type RecomputeSummary } from './recompute';
export { PriceTable, type PriceFile, type PriceVersion, type UnitPrice } from './pricing/prices';
export { costOf, Pricing, type EventCost } from './pricing/cost';
export { GenaiPrices, type DataPrice } from './pricing/genai';
export { openDatabase } from './db/open';
export { buildCollectorApp, CONNECTION_LIMIT_DEFAULTS, type ConnectionLimits } from './server';
export { createStore, type CollectorStore } from './store';

/** A running collector, from {@link startCollector}. */
export interface RunningCollector {
  /** `http://<host>:<port>`: give it to the SDK as `baseUrl` (or `PAYI_BASE_URL`). */
  readonly url: string;
  readonly port: number;
  /** The SQLite database (better-sqlite3), for queries and tests. */
  readonly db: Database.Database;
  /** The repositories and price table the routes use. */
  readonly store: CollectorStore;
  /** Stops listening, ends open connections and closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the local collector (contract §9): the Pay-i REST subset the SDK uses, on SQLite.
 * Rejects with `PayiConfigError` for a bad option and with the listen error (e.g. `EADDRINUSE`).
 *
 * @example
 * ```ts
 * const collector = await startCollector({ port: 0, dbPath: './.payi/test.db' });
 * payiInstrument({ baseUrl: collector.url });
 * // ...
 * await collector.close();
 * ```
 */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const o = resolveCollectorOptions(options);
  const logger = o.logger ?? pino({ name: 'payi-collector', level: 'info' });
  const prices = Pricing.load(o.pricesDir);
  const db = openDatabase(o.dbPath);
  const store = createStore(db, prices);
  const stale = pricedWithOtherData(store);
  if (o.recompute || stale) {
    const summary = recomputeCosts(store);
    const why = o.recompute ? 'as asked' : `the price data is now ${prices.data.version}`;
    logger.info(summary, `payi collector: recomputed the cost of ${summary.events} events (${summary.changed} changed): ${why}`);
  }
  const limits = { headersTimeoutMs: o.headersTimeoutMs, requestTimeoutMs: o.requestTimeoutMs, keepAliveTimeoutMs: o.keepAliveTimeoutMs, maxConnections: o.maxConnections };
  const app = buildCollectorApp(store, { apiKey: o.apiKey, bodyLimit: o.bodyLimit, logger, limits });
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (err) {
    db.close();
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    db,
    store,
    close: () =>
      (closed ??= (async () => {
        await app.close();
        db.close();
      })()),
  };
}

/** Whether some stored event was priced with another version of the bundled price data. */
function pricedWithOtherData(store: CollectorStore): boolean {
  const row = store.db.prepare("SELECT 1 FROM events WHERE price_version LIKE 'genai-prices@%' AND price_version <> ? LIMIT 1").get(store.prices.data.version);
  return row !== undefined;
}
