/**
 * Delivery benchmark (contract §6). Prints, never fails on a number:
 * 1. throughput: events/s from `submit()` to "accepted by a local sink that answers at once"
 *    (spec-shaped: bare-array bulk in, `BulkIngestResponse` out)
 *    (the sink runs in a child process so it does not share this event loop), for the default
 *    settings and for larger batches, with the ratio to the 50,000 events/s target;
 * 2. memory (in a fresh process): peak RSS while 100,000 events meet a sink that is down (nothing
 *    listens on the port), against the RSS growth of merely holding the same 100,000 events in an
 *    array: the queue holds `maxQueueSize` events, the rest goes to the spill file.
 *
 * Run: `npm run build && node dist/bench/delivery.js`, or
 * `node -r ts-node/register/transpile-only bench/delivery.ts`. `BENCH_EVENTS` changes the count.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDelivery } from '../src/delivery';
import type { PayiEvent } from '../src/events/types';
import { LimitStateStore } from '../src/limits/store';
import { resolveOptions } from '../src/options/resolve';
import type { IngestOptions } from '../src/options/types';

const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const OUTAGE_EVENTS = 100_000;
const TARGET = 50_000;
const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** A realistic event (~600 bytes of JSON): attribution, properties, headers. */
function event(i: number): PayiEvent {
  return {
    category: 'system.openai',
    resource: 'gpt-4o-mini',
    units: { text: { input: 120 + (i % 50), output: 40 }, text_cache_read: { input: 64 } },
    event_timestamp: new Date(1_735_689_600_000 + i).toISOString(),
    end_to_end_latency_ms: 412,
    http_status_code: 200,
    provider_response_id: `chatcmpl-bench-${i}`,
    provider_uri: 'https://api.openai.com/v1',
    properties: { tier: 'gold', region: 'eu-west-1' },
    provider_response_headers: [{ name: 'x-request-id', value: `req_${i}` }, { name: 'openai-processing-ms', value: '380' }],
    limit_ids: ['monthly_budget'],
    use_case_name: 'summarize',
    use_case_id: '7d1c2a5e-0f7b-4a43-9d6f-3f0d9c1b2e11',
    use_case_version: 1,
    user_id: `user_${i % 1000}`,
    account_name: 'acme',
  };
}

/** The sink child: answers every bulk request at once with one result per item. */
function runSink(): void {
  let stored = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The spec's bulk: a bare array in, a BulkIngestResponse out (no per-item results).
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      const n = Array.isArray(body) ? body.length : 0;
      stored += n;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ request_id: `bulk_${stored}`, ingest_timestamp: new Date().toISOString(), ingest_count: n, error_count: 0, item_error_count: 0, total_count: n }));
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (m) => {
    if (m === 'count') process.send!({ stored });
    if (m === 'stop') server.close(() => process.exit(0));
  });
}

async function startSinkChild(): Promise<{ child: ChildProcess; url: string; stored: () => Promise<number> }> {
  const child = fork(__filename, ['--sink'], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const stored = (): Promise<number> =>
    new Promise((resolve) => {
      child.once('message', (m: { stored: number }) => resolve(m.stored));
      child.send('count');
    });
  return { child, url: `http://127.0.0.1:${port}`, stored };
}

/** A port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const yieldLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function throughput(url: string, stored: () => Promise<number>, label: string, ingest: IngestOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-bench-'));
  const settings = resolveOptions({ baseUrl: url, logger: quiet, ingest: { spillFile: path.join(dir, 'spill.jsonl'), ...ingest } }, {});
  const delivery = createDelivery(settings, new LimitStateStore());
  const before = await stored();
  const room = settings.ingest.maxQueueSize - settings.ingest.maxBatchSize;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < THROUGHPUT_EVENTS; i++) {
    // An application produces events over time: wait for room instead of overflowing to the spill file.
    while (delivery.stats().queued >= room) await yieldLoop();
    delivery.submit(event(i));
  }
  await delivery.flush();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuPerEvent = (cpu.user + cpu.system) / THROUGHPUT_EVENTS;
  const arrived = (await stored()) - before;
  const stats = delivery.stats();
  await delivery.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const rate = THROUGHPUT_EVENTS / seconds;
  console.log(
    `${label.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} events/s  ` +
      `(${seconds.toFixed(2)} s; ${(rate / TARGET).toFixed(2)}x the ${TARGET.toLocaleString('en-US')}/s target; sink stored ${arrived}, sent ${stats.sent}, spilled ${stats.spilled})`,
  );
  console.log(
    `${''.padEnd(44)} ${cpuPerEvent.toFixed(1).padStart(9)} µs CPU per event in this process (making the event included): ` +
      `${Math.round(1e6 / cpuPerEvent).toLocaleString('en-US')} events/s per core; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
  );
}

async function outage(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-bench-'));
  const spillFile = path.join(dir, 'spill.jsonl');
  const port = await deadPort();
  const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };

  const settings = resolveOptions({ baseUrl: `http://127.0.0.1:${port}`, logger: quiet, ingest: { spillFile, maxQueueSize: 10_000 } }, {});
  const delivery = createDelivery(settings, new LimitStateStore());
  const heapStart = heap();
  const rssStart = process.memoryUsage().rss;
  let peak = rssStart;
  for (let i = 0; i < OUTAGE_EVENTS; i++) {
    delivery.submit(event(i));
    if (i % 1000 === 0) {
      peak = Math.max(peak, process.memoryUsage().rss);
      await yieldLoop();
    }
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const heapHeld = heap() - heapStart;
  const mid = delivery.stats();
  await delivery.close(1000);
  peak = Math.max(peak, process.memoryUsage().rss);
  const lines = fs.readFileSync(spillFile, 'utf8').split('\n').filter(Boolean).length;
  fs.rmSync(dir, { recursive: true, force: true });

  // Reference: what holding every event in memory costs.
  const before = heap();
  const held: PayiEvent[] = [];
  for (let i = 0; i < OUTAGE_EVENTS; i++) held.push(event(i));
  const heldHeap = heap() - before;

  console.log(`sink down, ${OUTAGE_EVENTS.toLocaleString('en-US')} events, maxQueueSize 10,000 (fresh process):`);
  console.log(`  in memory while down: ${mid.queued.toLocaleString('en-US')} events; spilled at once: ${mid.spilled.toLocaleString('en-US')}`);
  console.log(`  peak RSS ${mb(peak)} (${mb(rssStart)} at start, +${mb(peak - rssStart)})`);
  console.log(`  heap held by delivery while down (after GC): ${mb(heapHeld)}; the same ${OUTAGE_EVENTS.toLocaleString('en-US')} events held in an array: ${mb(heldHeap)} (ratio ${(heapHeld / heldHeap).toFixed(2)}, bound ${(10_000 / OUTAGE_EVENTS).toFixed(2)})`);
  console.log(`  after close(1000): spill file has ${lines.toLocaleString('en-US')} lines (stats: spilled ${delivery.stats().spilled}, failed ${delivery.stats().failed}); ${held.length} reference events`);
}

async function main(): Promise<void> {
  console.log(`delivery benchmark: Node ${process.version}, ${os.cpus().length} cores`);
  const sink = await startSinkChild();
  try {
    await throughput(sink.url, sink.stored, `${THROUGHPUT_EVENTS.toLocaleString('en-US')} events, defaults (batch 100, concurrency 2)`, {});
    await throughput(sink.url, sink.stored, `${THROUGHPUT_EVENTS.toLocaleString('en-US')} events, batch 500, concurrency 4`, { maxBatchSize: 500, concurrency: 4 });
  } finally {
    sink.child.send('stop');
  }
  const child = fork(__filename, ['--outage'], { stdio: 'inherit' });
  await new Promise((resolve) => child.once('exit', resolve));
}

if (process.argv.includes('--sink')) runSink();
else if (process.argv.includes('--outage')) void outage();
else
  void main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
