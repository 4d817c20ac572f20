/**
 * The in-process overhead benchmark: the real `openai` and `@anthropic-ai/sdk` clients with a
 * `fetch` that answers from memory (bench/inprocess/memory-fetch.ts), and the real
 * `@aws-sdk/client-bedrock-runtime` client with a request handler that does (Converse and
 * ConverseStream; bench/inprocess/memory-aws.ts), so the figure is the client's
 * CPU without sockets or a second process. Per scenario, each variant runs in its own long-lived
 * child process (bench/inprocess/worker.ts: raw, ALS floor, instrumented), warmed up once; then the
 * parent runs short slices of calls in turn, one variant at a time (raw, ALS, instrumented, raw,
 * ..., the order rotating each round), so the machine's drift over seconds hits every variant alike.
 * Per scenario it prints the raw call's CPU µs/call, then the medians over the rounds of each
 * round's differences: added CPU µs/call over raw (and over the ALS floor; all of the process's
 * threads), the main thread's added CPU alone (Node >= 23.9: without the GC and compiler helper
 * threads, whose share moves more from run to run), p50/p99 latency ratios;
 * then heap and RSS after GC at the end against raw. Never fails on a number.
 *
 * Run: `npm run bench -- inprocess` (built); `BENCH_ROUNDS` (default 20), `BENCH_CALLS` (calls per
 * slice, default 500) and `BENCH_SCENARIOS` (e.g. `openai-json-1,anthropic-stream-64`) narrow it.
 * `BENCH_BEFORE=<dir>` (the root of another built checkout, e.g. a `git worktree` of an earlier
 * commit after `npm run build`) adds a fourth variant, this worker instrumented with that
 * checkout's SDK, to every round, so before and after are measured interleaved in one run; its
 * columns are "before vs raw", its p50 ratio and its heap.
 *
 * Peers: `BENCH_PEERS=1` (or bench/peers/node_modules present and `BENCH_PEERS` not `0`) adds the
 * peer observability SDKs as variants of every round (bench/inprocess/peers.ts): `langfuse`
 * (`@langfuse/openai`'s `observeOpenAI` and `@langfuse/otel`'s `LangfuseSpanProcessor` on a
 * `NodeSDK`; OpenAI scenarios only) and `openllmetry` (`@traceloop/node-server-sdk`'s
 * `traceloop.initialize`), each exporting its batches over OTLP/HTTP to a sink process on 127.0.0.1
 * and flushed at the end of each slice. Their columns: added CPU µs/call over raw (process, main
 * thread), p50 ratio, heap vs raw and the spans the sink received. Without the packages
 * (`npm ci --prefix bench/peers`) it says so in one line and runs without them.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { PEERS, peersDir, peerSupports, type Peer } from './inprocess/peers';
import type { FinishResult, SliceResult, Variant as WorkerVariant } from './inprocess/worker';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const WARMUP = 1000;
const BEFORE = process.env.BENCH_BEFORE;
const PEERS_DIR = process.env.BENCH_PEERS === '0' ? undefined : peersDir();
const WITH_PEERS = PEERS_DIR !== undefined;
/** A variant of a round: a worker variant, or `before` (the instrumented worker on `BENCH_BEFORE`'s SDK). */
type Variant = WorkerVariant | 'before';

interface Scenario {
  key: string;
  provider: 'openai' | 'anthropic' | 'bedrock';
  mode: 'json' | 'stream';
  concurrency: number;
}

const SCENARIOS: Scenario[] = [];
for (const provider of ['openai', 'anthropic', 'bedrock'] as const) {
  for (const concurrency of [1, 64]) {
    for (const mode of ['json', 'stream'] as const) SCENARIOS.push({ key: `${provider}-${mode}-${concurrency}`, provider, mode, concurrency });
  }
}

/** One variant's worker: `run(calls)` measures a slice, `finish()` reads its memory and ends it. */
interface Worker {
  run(calls: number): Promise<SliceResult>;
  finish(): Promise<FinishResult>;
}

/** The variants of a scenario's rounds: raw, ALS, ours, then `before` and the peers when asked for. */
function variantsOf(s: Scenario): Variant[] {
  return ['raw', 'als', 'instrumented', ...(BEFORE ? (['before'] as const) : []), ...(WITH_PEERS ? PEERS.filter((p) => peerSupports(p, s.provider)) : [])];
}

function startWorker(variant: Variant, s: Scenario): Promise<Worker> {
  const file = path.join(__dirname, 'inprocess', `worker${path.extname(__filename)}`);
  const execArgv = ['--expose-gc', ...(path.extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, PAYI_LOG_LEVEL: process.env.PAYI_LOG_LEVEL ?? 'silent' };
  if (variant === 'before') env.BENCH_SDK_ROOT = path.resolve(BEFORE!);
  else delete env.BENCH_SDK_ROOT;
  const child: ChildProcess = fork(file, ['serve', variant === 'before' ? 'instrumented' : variant, s.provider, s.mode, String(s.concurrency), String(WARMUP)], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`worker ${variant} ${s.key} exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  return next().then(() => ({
    run: (calls) => {
      const r = next() as Promise<SliceResult>;
      child.send({ calls });
      // NaN (no thread CPU before Node 23.9) arrives as null over IPC
      return r.then((x) => ({ ...x, mainCpuPerCall: x.mainCpuPerCall ?? NaN }));
    },
    finish: () => {
      const r = next();
      child.send({ finish: true });
      return r as Promise<FinishResult>;
    },
  }));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const signed = (x: number, digits = 0): string => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

async function scenario(s: Scenario): Promise<void> {
  const variants = variantsOf(s);
  const workers = {} as Record<Variant, Worker>;
  // started one after the other: each warms up alone
  for (const v of variants) workers[v] = await startWorker(v, s);
  const rounds: Record<Variant, SliceResult>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round = {} as Record<Variant, SliceResult>;
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(i + k) % variants.length]!;
      round[v] = await workers[v].run(CALLS);
    }
    rounds.push(round);
  }
  const mem = {} as Record<Variant, FinishResult>;
  for (const v of variants) mem[v] = await workers[v].finish();
  const m = (f: (r: Record<Variant, SliceResult>) => number): number => median(rounds.map(f));
  const rawCpu = m((r) => r.raw.cpuPerCall);
  const alsAdded = m((r) => r.als.cpuPerCall - r.raw.cpuPerCall);
  const added = m((r) => r.instrumented.cpuPerCall - r.raw.cpuPerCall);
  const overAls = m((r) => r.instrumented.cpuPerCall - r.als.cpuPerCall);
  const mainAdded = m((r) => r.instrumented.mainCpuPerCall - r.raw.mainCpuPerCall);
  const p50 = m((r) => r.instrumented.p50 / r.raw.p50);
  const p99 = m((r) => r.instrumented.p99 / r.raw.p99);
  const heap = mem.instrumented.heapMB - mem.raw.heapMB;
  const rss = mem.instrumented.rssMB - mem.raw.rssMB;
  const beforeMain = BEFORE ? m((r) => r.before.mainCpuPerCall - r.raw.mainCpuPerCall) : NaN;
  const beforeCols = BEFORE ? ` | ${signed(m((r) => r.before.cpuPerCall - r.raw.cpuPerCall))} | ${Number.isNaN(beforeMain) ? 'n/a' : signed(beforeMain)} | ${m((r) => r.before.p50 / r.raw.p50).toFixed(3)} | ${signed(mem.before.heapMB - mem.raw.heapMB, 1)} MB` : '';
  const peerCols = (p: Peer): string => {
    if (!variants.includes(p)) return ' | n/a | n/a | n/a | n/a | n/a';
    const main = m((r) => r[p].mainCpuPerCall - r.raw.mainCpuPerCall);
    return (
      ` | **${signed(m((r) => r[p].cpuPerCall - r.raw.cpuPerCall))}** | ${Number.isNaN(main) ? 'n/a' : signed(main)} | ${m((r) => r[p].p50 / r.raw.p50).toFixed(3)} ` +
      `| ${signed(mem[p].heapMB - mem.raw.heapMB, 1)} MB | ${mem[p].sent}`
    );
  };
  console.log(
    `| ${s.provider} ${s.mode === 'json' ? 'JSON' : 'stream'}, ${s.concurrency === 1 ? 'sequential' : `${s.concurrency} concurrent`} ` +
      `| ${rawCpu.toFixed(0)} µs | ${signed(alsAdded)} | **${signed(added)}** | ${signed(overAls)} | ${Number.isNaN(mainAdded) ? 'n/a' : signed(mainAdded)} | ${p50.toFixed(3)} | ${p99.toFixed(3)} ` +
      `| ${signed(heap, 1)} MB | ${signed(rss, 1)} MB | ${mem.instrumented.sent}${beforeCols}${WITH_PEERS ? PEERS.map(peerCols).join('') : ''} |`,
  );
}

/**
 * Loopback mode (`BENCH_TRANSPORT=loopback`, what bench/loopback.ts sets): the provider stand-in
 * (bench/standin-process.ts) in a process of its own, every worker's clients calling it over HTTP
 * on 127.0.0.1 with their own `fetch`. Returns how to stop it, or nothing in the in-memory mode.
 */
async function startLoopback(): Promise<(() => void) | undefined> {
  if (process.env.BENCH_TRANSPORT !== 'loopback') return undefined;
  const ext = path.extname(__filename);
  const child = spawn(process.execPath, [...(ext === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : []), path.join(__dirname, `standin-process${ext}`)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`stand-in process exited with ${code}`)));
  });
  process.env.BENCH_STANDIN_URL = url;
  return () => child.stdin!.end();
}

async function main(): Promise<void> {
  const only = (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean);
  const stopLoopback = await startLoopback();
  const where = stopLoopback ? `Over loopback (the provider stand-in in its own process, real HTTP on 127.0.0.1)` : 'In-process overhead';
  console.log(`${where} (Node ${process.version}): ${ROUNDS} rounds of ${CALLS} calls per variant (after ${WARMUP} warm-up calls), each variant in its own process, the variants' slices interleaved; medians over the rounds of each round's difference`);
  if (BEFORE) console.log(`before: ${path.resolve(BEFORE)}`);
  if (WITH_PEERS) console.log(`peers: ${PEERS.join(', ')} from ${PEERS_DIR} (spans exported over OTLP/HTTP to a sink process on 127.0.0.1; ours delivers to an in-memory fetch)`);
  else if (process.env.BENCH_PEERS && process.env.BENCH_PEERS !== '0') console.log('peers: not installed, skipped (install them with `npm ci --prefix bench/peers`)');
  const beforeHead = BEFORE ? ' | before vs raw | before, main thread | before p50 ratio | before heap vs raw' : '';
  const peersHead = WITH_PEERS ? PEERS.map((p) => ` | ${p} vs raw | ${p}, main thread | ${p} p50 ratio | ${p} heap vs raw | ${p} spans sent`).join('') : '';
  console.log(`| scenario | raw CPU/call | ALS floor | instrumented vs raw | vs ALS floor | main thread vs raw | p50 ratio | p99 ratio | heap vs raw | RSS vs raw | events sent${beforeHead}${peersHead} |`);
  console.log(`|---|---|---|---|---|---|---|---|---|---|---${BEFORE ? '|---|---|---|---' : ''}${'|---|---|---|---|---'.repeat(WITH_PEERS ? PEERS.length : 0)}|`);
  try {
    for (const s of SCENARIOS) if (only.length === 0 || only.includes(s.key)) await scenario(s);
  } finally {
    stopLoopback?.();
  }
}

void main();
