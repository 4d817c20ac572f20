/**
 * Collector throughput (standalone: `node dist/bench/collector.js`, or
 * `node -r ts-node/register/transpile-only bench/collector.ts`). Prints figures; never fails on them.
 *
 * 1. Bulk ingest: EVENTS events in POSTs of 100 to /api/v1/ingest/bulk (CONCURRENCY in flight),
 *    into a fresh SQLite file; events/s stored, and a count check that none was lost. The collector
 *    runs in its own process (as `payi collector` does), so the load generator does not share its thread.
 * 2. Proxy: PROXY_CALLS chat completions through /api/v1/proxy/openai/v1 to the local stand-in,
 *    against the same calls made to the stand-in directly (the ratio is the proxy's overhead).
 *
 * Environment: BENCH_EVENTS (default 100000), BENCH_PROXY_CALLS (default 2000), BENCH_CONCURRENCY (default 4).
 */
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCollector } from '../collector';
import { openaiRoute } from '../samples/standin/openai';
import { startStandin } from '../samples/standin/server';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const PROXY_CALLS = Number(process.env.BENCH_PROXY_CALLS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const BATCH = 100;

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
const USE_CASES = ['chat', 'summarize', 'search', 'classify', 'extract'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'o4-mini'];

function makeEvent(i: number): Record<string, unknown> {
  const model = MODELS[i % MODELS.length] ?? 'gpt-4o';
  return {
    category: model.startsWith('claude') ? 'system.anthropic' : 'system.openai',
    resource: model,
    units: { text: { input: 500 + (i % 700), output: 50 + (i % 300) }, ...(i % 4 === 0 ? { text_cache_read: { input: 256 } } : {}) },
    event_timestamp: new Date().toISOString(),
    end_to_end_latency_ms: 300 + (i % 200),
    http_status_code: 200,
    provider_response_id: `bench-${i}`,
    use_case_name: USE_CASES[i % USE_CASES.length],
    use_case_id: `uc-${i % 1000}`,
    user_id: `user-${i % 250}`,
    limit_ids: i % 2 === 0 ? ['team'] : ['team', 'project'],
    request_tags: ['bench'],
    properties: { 'system.stream_outcome': 'completed' },
  };
}

/** Runs `total` tasks with `limit` in flight. */
async function pool(total: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** This file in "serve" mode: a collector in a child process; prints its URL, stops when stdin closes. */
async function serve(dbPath: string): Promise<void> {
  const collector = await startCollector({ port: 0, dbPath, logger: silent });
  process.stdout.write(`${collector.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void collector.close());
}

async function startChildCollector(dbPath: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...process.execArgv, __filename, '--serve', dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`collector process exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

async function benchBulk(dir: string): Promise<void> {
  const dbPath = path.join(dir, 'bulk.db');
  const collector = await startChildCollector(dbPath);
  await fetch(`${collector.url}/api/v1/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit_name: 'team', max: 1e9, limit_id: 'team' }) });
  const batches = Math.ceil(EVENTS / BATCH);
  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify({ events: Array.from({ length: Math.min(BATCH, EVENTS - b * BATCH) }, (_, k) => makeEvent(b * BATCH + k)) }),
  );
  let stored = 0;
  let failedItems = 0;
  const rss0 = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  await pool(batches, CONCURRENCY, async (b) => {
    const res = await fetch(`${collector.url}/api/v1/ingest/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[b] });
    const body = (await res.json()) as { ingest_count: number; error_count: number };
    stored += body.ingest_count;
    failedItems += body.error_count;
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const t1 = process.hrtime.bigint();
  const report = await (await fetch(`${collector.url}/api/v1/reports/cost?by=user`)).json();
  const reportMs = Number(process.hrtime.bigint() - t1) / 1e6;
  await collector.stop();
  const db = new Database(dbPath, { readonly: true });
  const inDb = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  db.close();
  const dbBytes = fs.statSync(dbPath).size + (fs.existsSync(`${dbPath}-wal`) ? fs.statSync(`${dbPath}-wal`).size : 0);
  console.log(`bulk ingest: ${fmt(EVENTS)} events in ${batches} POSTs of ${BATCH} (${CONCURRENCY} in flight)`);
  console.log(`  ${secs.toFixed(2)} s, ${fmt(stored / secs)} events/s stored (target >= 20,000)`);
  console.log(`  answered stored: ${fmt(stored)}, per-item errors: ${failedItems}, rows in SQLite: ${fmt(inDb)}, lost: ${EVENTS - inDb}`);
  console.log(`  database + WAL: ${(dbBytes / 1024 / 1024).toFixed(1)} MiB; load generator RSS growth: ${((process.memoryUsage().rss - rss0) / 1024 / 1024).toFixed(0)} MiB`);
  console.log(`  report by user over ${fmt(inDb)} events: ${(report as unknown[]).length} rows in ${reportMs.toFixed(0)} ms`);
}

async function benchProxy(dir: string): Promise<void> {
  const standin = await startStandin([openaiRoute]);
  const collector = await startCollector({ port: 0, dbPath: path.join(dir, 'proxy.db'), logger: silent });
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Benchmark the proxy route please' }] });
  const run = async (url: string, headers: Record<string, string>): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await pool(PROXY_CALLS, 8, async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', ...headers }, body });
      await res.arrayBuffer();
    });
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const direct = await run(`${standin.url}/v1/chat/completions`, {});
  const proxied = await run(`${collector.url}/api/v1/proxy/openai/v1/chat/completions`, { 'xProxy-Provider-BaseUri': standin.url, 'xProxy-UseCase-Name': 'bench' });
  const metered = (collector.db.prepare("SELECT count(*) AS n FROM events WHERE source = 'proxy'").get() as { n: number }).n;
  console.log(`proxy route: ${fmt(PROXY_CALLS)} chat completions, 8 in flight`);
  console.log(`  direct to the stand-in: ${fmt(PROXY_CALLS / direct)} calls/s`);
  console.log(`  through the collector:  ${fmt(PROXY_CALLS / proxied)} calls/s (metered and stored: ${fmt(metered)}, lost: ${PROXY_CALLS - metered})`);
  console.log(`  ratio proxied/direct time: ${(proxied / direct).toFixed(2)}x`);
  await collector.close();
  await standin.close();
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-bench-collector-'));
  try {
    console.log(`node ${process.version}, ${os.cpus().length} cores`);
    await benchBulk(dir);
    await benchProxy(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(process.argv[2] === '--serve' ? serve(process.argv[3] ?? ':memory:') : main()).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
