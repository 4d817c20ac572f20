/**
 * The in-process overhead benchmark: the real `openai` and `@anthropic-ai/sdk` clients with a
 * `fetch` that answers from memory (bench/inprocess/memory-fetch.ts), so the figure is the client's
 * CPU without sockets or a second process. Three variants, each run in a fresh child process
 * (bench/inprocess/worker.ts), rounds interleaved raw, ALS floor, instrumented, raw, ... so drift
 * hits all alike. Per scenario it prints the raw call's CPU µs/call, then the medians over the
 * rounds of each round's differences: added CPU µs/call over raw (and over the ALS floor), p50/p99
 * latency ratios, heap and RSS after GC against raw. Never fails on a number.
 *
 * Run: `npm run bench -- inprocess` (built); `BENCH_ROUNDS`, `BENCH_CALLS` and
 * `BENCH_SCENARIOS` (e.g. `openai-json-1,anthropic-stream-64`) narrow it. `BENCH_BEFORE=<dir>` (the
 * root of another built checkout, e.g. a `git worktree` of an earlier commit after `npm run build`)
 * adds a fourth variant, that checkout's instrumented worker, to every round, so before and after
 * are measured interleaved in one run; its columns are "before vs raw" and its heap.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { WorkerResult } from './inprocess/worker';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const WARMUP = 500;
const BEFORE = process.env.BENCH_BEFORE;
const VARIANTS = ['raw', 'als', 'instrumented', ...(BEFORE ? (['before'] as const) : [])] as const;
type Variant = (typeof VARIANTS)[number];

interface Scenario {
  key: string;
  provider: 'openai' | 'anthropic';
  mode: 'json' | 'stream';
  concurrency: number;
}

const SCENARIOS: Scenario[] = [];
for (const provider of ['openai', 'anthropic'] as const) {
  for (const concurrency of [1, 64]) {
    for (const mode of ['json', 'stream'] as const) SCENARIOS.push({ key: `${provider}-${mode}-${concurrency}`, provider, mode, concurrency });
  }
}

function runWorker(variant: Variant, s: Scenario): WorkerResult {
  const before = variant === 'before';
  const file = before ? path.join(path.resolve(BEFORE!), 'dist', 'bench', 'inprocess', 'worker.js') : path.join(__dirname, 'inprocess', `worker${path.extname(__filename)}`);
  const execArgv = path.extname(__filename) === '.ts' && !before ? ['-r', 'ts-node/register/transpile-only'] : [];
  const r = spawnSync(process.execPath, ['--expose-gc', ...execArgv, file, before ? 'instrumented' : variant, s.provider, s.mode, String(s.concurrency), String(CALLS), String(WARMUP)], {
    encoding: 'utf8',
    env: { ...process.env, PAYI_LOG_LEVEL: process.env.PAYI_LOG_LEVEL ?? 'silent' },
    maxBuffer: 16 * 2 ** 20,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as WorkerResult;
  } catch {
    throw new Error(`worker ${variant} ${s.key} failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const signed = (x: number, digits = 0): string => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

function scenario(s: Scenario): void {
  const rounds: Record<Variant, WorkerResult>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round = {} as Record<Variant, WorkerResult>;
    for (const v of VARIANTS) round[v] = runWorker(v, s);
    rounds.push(round);
  }
  const m = (f: (r: Record<Variant, WorkerResult>) => number): number => median(rounds.map(f));
  const rawCpu = m((r) => r.raw.cpuPerCall);
  const alsAdded = m((r) => r.als.cpuPerCall - r.raw.cpuPerCall);
  const added = m((r) => r.instrumented.cpuPerCall - r.raw.cpuPerCall);
  const overAls = m((r) => r.instrumented.cpuPerCall - r.als.cpuPerCall);
  const p50 = m((r) => r.instrumented.p50 / r.raw.p50);
  const p99 = m((r) => r.instrumented.p99 / r.raw.p99);
  const heap = m((r) => r.instrumented.heapMB - r.raw.heapMB);
  const rss = m((r) => r.instrumented.rssMB - r.raw.rssMB);
  const sent = rounds[0]!.instrumented.sent;
  const beforeCols = BEFORE ? ` | ${signed(m((r) => r.before.cpuPerCall - r.raw.cpuPerCall))} | ${m((r) => r.before.p50 / r.raw.p50).toFixed(3)} | ${signed(m((r) => r.before.heapMB - r.raw.heapMB), 1)} MB` : '';
  console.log(
    `| ${s.provider} ${s.mode === 'json' ? 'JSON' : 'stream'}, ${s.concurrency === 1 ? 'sequential' : `${s.concurrency} concurrent`} ` +
      `| ${rawCpu.toFixed(0)} µs | ${signed(alsAdded)} | **${signed(added)}** | ${signed(overAls)} | ${p50.toFixed(3)} | ${p99.toFixed(3)} ` +
      `| ${signed(heap, 1)} MB | ${signed(rss, 1)} MB | ${sent}${beforeCols} |`,
  );
}

function main(): void {
  const only = (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean);
  console.log(`In-process overhead (Node ${process.version}): ${ROUNDS} rounds of ${CALLS} calls per variant (after ${WARMUP} warm-up calls), each variant in a fresh process, rounds interleaved; medians over the rounds of each round's difference`);
  if (BEFORE) console.log(`before: ${path.resolve(BEFORE)}`);
  const beforeHead = BEFORE ? ' | before vs raw | before p50 ratio | before heap vs raw' : '';
  console.log(`| scenario | raw CPU/call | ALS floor | instrumented vs raw | vs ALS floor | p50 ratio | p99 ratio | heap vs raw | RSS vs raw | events sent${beforeHead} |`);
  console.log(`|---|---|---|---|---|---|---|---|---|---${BEFORE ? '|---|---|---' : ''}|`);
  for (const s of SCENARIOS) if (only.length === 0 || only.includes(s.key)) scenario(s);
}

main();
