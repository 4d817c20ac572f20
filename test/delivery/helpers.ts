import { type IngestSink, startSink } from '../support/ingest-sink';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Payi } from '../../src/client';
import { createDelivery } from '../../src/delivery';
import type { Delivery, IngestCounters, IngestStats } from '../../src/delivery/types';
import type { PayiEvent } from '../../src/events/types';
import type { PayiIngestError } from '../../src/errors';
import { LimitStateStore } from '../../src/limits/store';
import { resolveOptions } from '../../src/options/resolve';
import type { IngestClient, IngestOptions, PayiInstrumentOptions } from '../../src/options/types';

/** One event as an adapter would hand it over, with a known id. */
export function ev(id: string | number, extra: Partial<PayiEvent> = {}): PayiEvent {
  return {
    category: 'system.openai',
    resource: 'gpt-4o-mini',
    units: { text: { input: 12, output: 3 } },
    event_timestamp: '2025-01-01T00:00:00.000Z',
    http_status_code: 200,
    provider_response_id: `chatcmpl-${id}`,
    ...extra,
  };
}

export const events = (n: number, from = 0): PayiEvent[] => Array.from({ length: n }, (_, i) => ev(from + i));
export const ids = (list: readonly PayiEvent[]): string[] => list.map((e) => e.provider_response_id!);

/** A logger that keeps every line (objects as JSON) for assertions. */
export function memoryLogger(): { lines: { level: string; text: string }[]; error: (...a: unknown[]) => void; warn: (...a: unknown[]) => void; info: (...a: unknown[]) => void; debug: (...a: unknown[]) => void; text: () => string } {
  const lines: { level: string; text: string }[] = [];
  const at = (level: string) => (...args: unknown[]) => {
    lines.push({ level, text: args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, (_k, v) => (v instanceof Error ? { message: v.message, name: v.name } : v)))).join(' ') });
  };
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), text: () => lines.map((l) => `${l.level}: ${l.text}`).join('\n') };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'payi-delivery-'));
}

/** Lines of a JSON-lines file, parsed ([] when it does not exist). */
export function readLines(file: string): any[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

/** A real Payi client whose bulk/units calls are also recorded (time from Date.now(), which fake timers drive). */
export function recordingClient(baseUrl: string, apiKey?: string): IngestClient & { calls: { kind: 'bulk' | 'units'; at: number; ids: string[] }[] } {
  const payi = new Payi({ baseUrl, ...(apiKey ? { apiKey } : {}), maxRetries: 0, timeoutMs: 5000 });
  const calls: { kind: 'bulk' | 'units'; at: number; ids: string[] }[] = [];
  return {
    calls,
    ingest: {
      bulk: (list, o) => {
        calls.push({ kind: 'bulk', at: Date.now(), ids: ids(list) });
        return payi.ingest.bulk(list, o);
      },
      units: (e, o) => {
        calls.push({ kind: 'units', at: Date.now(), ids: ids([e]) });
        return payi.ingest.units(e, o);
      },
    },
  };
}

export interface Harness {
  delivery: Delivery;
  limits: LimitStateStore;
  logger: ReturnType<typeof memoryLogger>;
  errors: PayiIngestError[];
  spillFile: string;
}

/** createDelivery with a memory logger, an onError collector and a spill file in a temp folder. */
export function harness(baseUrl: string, ingest: IngestOptions = {}, more: PayiInstrumentOptions = {}): Harness {
  const logger = memoryLogger();
  const errors: PayiIngestError[] = [];
  const spillFile = path.join(tempDir(), 'spill', 'undelivered.jsonl');
  const settings = resolveOptions({
    baseUrl,
    logger,
    ...more,
    ingest: { spillFile, onError: (e) => errors.push(e), ...ingest },
  }, {});
  const limits = new LimitStateStore();
  return { delivery: createDelivery(settings, limits), limits, logger, errors, spillFile };
}

/** Resolves once `check()` is true, checking after each turn of the event loop (no timed waits). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

/** What {@link deliveryTestbed} gives each test: a fresh sink, and the harness to close after it. */
export interface Testbed {
  /** A real HTTP ingest sink on 127.0.0.1, new for each test. */
  readonly sink: IngestSink;
  /** The delivery under test; closed (2 s) after each test. */
  h: Harness | undefined;
}

/**
 * Registers the hooks every delivery test needs: a fresh sink before each test; after it, real
 * timers again, the harness closed and the sink stopped.
 *
 * @example
 * ```ts
 * const t = deliveryTestbed();
 * test('...', async () => { t.h = harness(t.sink.url, { maxBatchSize: 5 }); ... });
 * ```
 */
export function deliveryTestbed(): Testbed {
  const t: { sink: IngestSink | undefined; h: Harness | undefined } = { sink: undefined, h: undefined };
  beforeEach(async () => {
    t.sink = await startSink();
  });
  afterEach(async () => {
    jest.useRealTimers();
    await t.h?.delivery.close(2000);
    t.h = undefined;
    await t.sink?.stop();
  });
  return t as Testbed;
}

/** `ingestStats()` when `name` is the only sink: its counters at the top level and under `sinks`. */
export function onlySink(name: string, counters: IngestCounters): IngestStats {
  return { ...counters, sinks: { [name]: counters } };
}
