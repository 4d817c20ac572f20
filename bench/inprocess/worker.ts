/**
 * One measured run of the in-process benchmark, in a fresh process (started by `bench/inprocess.ts`):
 * `node worker.js <variant> <provider> <json|stream> <concurrency> <calls> <warmup>`.
 *
 * Variants: `raw` (the SDK alone), `als` (each raw call inside `AsyncLocalStorage.run`: the floor of
 * any SDK that follows a call through `await`), `instrumented` (`payiInstrument()` with default
 * options, delivery through the real `Payi` client to a sink answering at once, and a
 * `trackContext({ useCaseName, userId, limitIds })` around each call). Prints one JSON line:
 * CPU µs per call (`process.cpuUsage`, delivery included: the run ends after `flush()`), the
 * latencies' p50/p99, and heap/RSS after a full GC.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Payi } from '../../src/client';
import { flush, ingestStats, payiInstrument, shutdown } from '../../src/instrument';
import { trackContext } from '../../src/context';
import type { IngestClient, PayiInstrumentOptions } from '../../src/options/types';
import { SYSTEM_PROMPT, USER_PROMPT } from './fixtures';
import { BULK_ACCEPTED, memoryFetch, sinkFetch, type BenchProvider } from './memory-fetch';

/** What a worker prints. */
export interface WorkerResult {
  variant: string;
  cpuPerCall: number;
  p50: number;
  p99: number;
  heapMB: number;
  rssMB: number;
  sent: number;
}

type Variant = 'raw' | 'als' | 'instrumented';

function makeCall(provider: BenchProvider, stream: boolean): () => Promise<void> {
  if (provider === 'openai') {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: 'http://api.bench.invalid/v1', maxRetries: 0, fetch: memoryFetch('openai') });
    const messages = [
      { role: 'system' as const, content: SYSTEM_PROMPT },
      { role: 'user' as const, content: USER_PROMPT },
    ];
    if (!stream) return async () => void (await client.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.2, max_tokens: 400 }));
    return async () => {
      for await (const _ of await client.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.2, max_tokens: 400, stream: true })) {
        /* read every chunk */
      }
    };
  }
  const client = new Anthropic({ apiKey: 'sk-ant-bench', baseURL: 'http://api.bench.invalid', maxRetries: 0, fetch: memoryFetch('anthropic') });
  const messages = [{ role: 'user' as const, content: USER_PROMPT }];
  if (!stream) return async () => void (await client.messages.create({ model: 'claude-sonnet-4-6', system: SYSTEM_PROMPT, messages, max_tokens: 400 }));
  return async () => {
    for await (const _ of await client.messages.create({ model: 'claude-sonnet-4-6', system: SYSTEM_PROMPT, messages, max_tokens: 400, stream: true })) {
      /* read every event */
    }
  };
}

function wrapped(variant: Variant, call: () => Promise<void>): (i: number) => Promise<void> {
  if (variant === 'raw') return () => call();
  if (variant === 'als') {
    const als = new AsyncLocalStorage<object>();
    return (i) => als.run({ useCaseName: 'bench', userId: `user_${i % 100}`, limitIds: ['limit_monthly'] }, call);
  }
  return (i) => trackContext({ useCaseName: 'bench', userId: `user_${i % 100}`, limitIds: ['limit_monthly'] }, call);
}

async function run(fn: (i: number) => Promise<void>, calls: number, concurrency: number, latencies?: number[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const i = next++;
      const t0 = performance.now();
      await fn(i);
      latencies?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Starts the inspector's CPU profiler; the function returned stops it and writes the profile. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return async (file) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function main(): Promise<void> {
  const [variant, provider, mode, conc, callsArg, warmupArg] = process.argv.slice(2) as [Variant, BenchProvider, string, string, string, string];
  const concurrency = Number(conc);
  const calls = Number(callsArg);
  const warmup = Number(warmupArg);
  if (variant === 'instrumented') {
    // diagnostics: BENCH_OPTIONS (JSON) is merged into the options; BENCH_SINK=memory skips the Payi client (no JSON)
    const extra = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as PayiInstrumentOptions;
    const payi: IngestClient =
      process.env.BENCH_SINK === 'memory'
        ? { ingest: { units: async () => ({}), bulk: async () => ({ ...BULK_ACCEPTED }) } }
        : new Payi({ apiKey: 'bench', baseUrl: 'http://payi.bench.invalid', fetch: sinkFetch().fetch, maxRetries: 0 });
    payiInstrument({ payi, ...extra });
  }
  const fn = wrapped(variant, makeCall(provider, mode === 'stream'));
  await run(fn, warmup, concurrency);
  await flush();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const latencies: number[] = [];
  // diagnostics: BENCH_PROFILE=<file> writes a CPU profile of the measured calls alone (not start-up)
  const profiler = process.env.BENCH_PROFILE ? await startProfile() : undefined;
  const cpu0 = process.cpuUsage();
  await run(fn, calls, concurrency, latencies);
  await flush();
  const cpu = process.cpuUsage(cpu0);
  if (profiler) await profiler(process.env.BENCH_PROFILE!);
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  const result: WorkerResult = {
    variant,
    cpuPerCall: (cpu.user + cpu.system) / calls,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    heapMB: mem.heapUsed / 2 ** 20,
    rssMB: mem.rss / 2 ** 20,
    sent: ingestStats().sent,
  };
  await shutdown();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
