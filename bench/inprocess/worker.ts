/**
 * One variant of the in-process benchmark, in its own process (started by `bench/inprocess.ts`),
 * calling OpenAI, Anthropic or Bedrock (Converse / ConverseStream) through the provider's own client.
 *
 * Variants: `raw` (the SDK alone), `als` (each raw call inside `AsyncLocalStorage.run`: the floor of
 * any SDK that follows a call through `await`), `instrumented` (`payiInstrument()` with default
 * options, delivery through the real `Payi` client to a sink answering at once, and a
 * `trackContext({ useCaseName, userId, limitIds })` around each call). `BENCH_SDK_ROOT=<dir>` takes
 * the instrumented SDK from another built checkout (its `dist/src`), for before/after runs.
 *
 * Peer variants (bench/inprocess/peers.ts; the packages installed with `npm ci --prefix bench/peers`):
 * `langfuse` (`observeOpenAI` + `LangfuseSpanProcessor` on a `NodeSDK`; OpenAI only) and `openllmetry`
 * (`traceloop.initialize` with `instrumentModules`), each with its per-call attribution context
 * (`propagateAttributes` / `withAssociationProperties`) and its default batched OTLP/HTTP export to
 * a sink in a child process on 127.0.0.1 (bench/inprocess/otlp-sink.ts), so the peer's own
 * serialisation and HTTP send are counted in this process's CPU. The `instrumented` variant
 * delivers through the Payi client to an in-memory `fetch` instead: cheaper per batch than a
 * socket (estimated at about 1 µs per event amortised over a batch, not measured here), a cost the
 * peers' figures include and ours do not. Each slice ends after the variant's flush (`flush()`, or the peer's span processor
 * `forceFlush()`), so export CPU is counted in the slice; `sent` is the events delivered (ours) or
 * the spans the sink received (a peer).
 *
 * Two ways to run it:
 * - served (`fork`ed with `serve <variant> <provider> <json|stream> <concurrency> <warmup>`): it warms
 *   up, then answers each `{ calls }` message with one {@link SliceResult} (CPU µs per call over
 *   those calls and their delivery: each slice ends after `flush()`; latency p50/p99), and a
 *   `{ finish: true }` message with the heap and RSS after two full GCs ({@link FinishResult}). The
 *   parent interleaves short slices of every variant, so the machine's drift hits all alike;
 * - alone (`<variant> <provider> <json|stream> <concurrency> <calls> <warmup>`): one slice and the
 *   memory, printed as one JSON line ({@link WorkerResult}); `BENCH_PROFILE=<file>` writes a CPU
 *   profile of the measured calls alone.
 */
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import OpenAI from 'openai';
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';
import type { IngestClient, PayiInstrumentOptions } from '../../src/options/types';
import { SYSTEM_PROMPT, USER_PROMPT } from './fixtures';
import { memoryBedrockHandler } from './memory-aws';
import { BULK_ACCEPTED, memoryFetch, sinkFetch, type BenchProvider } from './memory-fetch';
import { PEERS, setUpPeer, type Peer, type PeerSetup } from './peers';

/** What one slice of calls cost. */
export interface SliceResult {
  /** The process's CPU (every thread: the call path, GC and compiler helpers) per call, µs. */
  cpuPerCall: number;
  /** The main thread's CPU per call, µs (`process.threadCpuUsage`, Node >= 23.9; else `NaN`): the call path alone, without GC and compiler helper threads. */
  mainCpuPerCall: number;
  p50: number;
  p99: number;
}

/** Memory after the run (two full GCs) and the events delivered. */
export interface FinishResult {
  heapMB: number;
  rssMB: number;
  /** Events delivered (`instrumented`), or spans the OTLP sink received (a peer); 0 for `raw` and `als`. */
  sent: number;
}

/** What a worker run alone prints. */
export interface WorkerResult extends SliceResult, FinishResult {
  variant: string;
}

/** The parts of the SDK the worker uses, from this checkout or from `BENCH_SDK_ROOT`. */
interface Sdk {
  Payi: typeof import('../../src/client').Payi;
  payiInstrument: typeof import('../../src/instrument').payiInstrument;
  flush: typeof import('../../src/instrument').flush;
  shutdown: typeof import('../../src/instrument').shutdown;
  ingestStats: typeof import('../../src/instrument').ingestStats;
  trackContext: typeof import('../../src/context').trackContext;
}

function loadSdk(): Sdk {
  const root = process.env.BENCH_SDK_ROOT;
  const from = (m: string): string => (root ? path.join(path.resolve(root), 'dist', 'src', m) : path.join(__dirname, '..', '..', 'src', m));
  const instrument = require(from('instrument')) as typeof import('../../src/instrument');
  const client = require(from('client')) as typeof import('../../src/client');
  const context = require(from('context')) as typeof import('../../src/context');
  return { Payi: client.Payi, payiInstrument: instrument.payiInstrument, flush: instrument.flush, shutdown: instrument.shutdown, ingestStats: instrument.ingestStats, trackContext: context.trackContext };
}

/** The variants a worker can run. */
export type Variant = 'raw' | 'als' | 'instrumented' | Peer;

const isPeer = (v: string): v is Peer => (PEERS as readonly string[]).includes(v);

/** What a variant flushes and counts: ours (the SDK's `flush()` and `ingestStats().sent`) or a peer's. */
interface Meter {
  flush(): Promise<void>;
  sent(): Promise<number>;
  shutdown(): Promise<void>;
}

function sdkMeter(sdk: Sdk): Meter {
  return { flush: () => sdk.flush(), sent: async () => sdk.ingestStats().sent, shutdown: () => sdk.shutdown() };
}

function peerMeter(peer: PeerSetup): Meter {
  return {
    flush: () => peer.flush(),
    sent: async () => {
      const c = await peer.sent();
      if (c.unreadable) console.error(`otlp sink: ${c.unreadable} of ${c.requests} requests unreadable`);
      return c.spans;
    },
    shutdown: () => peer.shutdown(),
  };
}

/**
 * The provider API the clients call: with `BENCH_STANDIN_URL` (the loopback mode, bench/loopback.ts)
 * the provider stand-in over real HTTP on 127.0.0.1 with the SDK's own `fetch`; else the memory `fetch`.
 */
function endpoint(provider: Exclude<BenchProvider, 'bedrock'>): { baseURL: string; fetch?: typeof fetch } {
  const standin = process.env.BENCH_STANDIN_URL;
  if (standin) return { baseURL: provider === 'openai' ? `${standin}/v1` : standin };
  return { baseURL: provider === 'openai' ? 'http://api.bench.invalid/v1' : 'http://api.bench.invalid', fetch: memoryFetch(provider) };
}

function makeCall(provider: BenchProvider, stream: boolean, wrapClient: <T extends object>(client: T) => T = (c) => c): () => Promise<void> {
  if (provider === 'openai') {
    const client = wrapClient(new OpenAI({ apiKey: 'sk-bench', maxRetries: 0, ...endpoint('openai') }));
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
  if (provider === 'bedrock') return bedrockCall(stream, wrapClient);
  const client = wrapClient(new Anthropic({ apiKey: 'sk-ant-bench', maxRetries: 0, ...endpoint('anthropic') }));
  const messages = [{ role: 'user' as const, content: USER_PROMPT }];
  if (!stream) return async () => void (await client.messages.create({ model: 'claude-sonnet-4-6', system: SYSTEM_PROMPT, messages, max_tokens: 400 }));
  return async () => {
    for await (const _ of await client.messages.create({ model: 'claude-sonnet-4-6', system: SYSTEM_PROMPT, messages, max_tokens: 400, stream: true })) {
      /* read every event */
    }
  };
}

/**
 * A Bedrock Converse (or ConverseStream) call through the AWS SDK's own client: the request
 * handler of memory-aws.ts, or in loopback mode the stand-in's Bedrock route over real HTTP.
 */
function bedrockCall(stream: boolean, wrapClient: <T extends object>(client: T) => T): () => Promise<void> {
  const standin = process.env.BENCH_STANDIN_URL;
  const client = wrapClient(
    new BedrockRuntimeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
      maxAttempts: 1,
      // the stand-in speaks HTTP/1.1 (the client's default handler for Bedrock is HTTP/2)
      ...(standin ? { endpoint: standin, requestHandler: new NodeHttpHandler() } : { requestHandler: memoryBedrockHandler() }),
    }),
  );
  const input = {
    modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    system: [{ text: SYSTEM_PROMPT }],
    messages: [{ role: 'user' as const, content: [{ text: USER_PROMPT }] }],
    inferenceConfig: { maxTokens: 400, temperature: 0.2 },
  };
  if (!stream) return async () => void (await client.send(new ConverseCommand(input)));
  return async () => {
    const out = await client.send(new ConverseStreamCommand(input));
    for await (const _ of out.stream ?? []) {
      /* read every event */
    }
  };
}

function wrapped(variant: Variant, call: () => Promise<void>, sdk: Sdk | undefined, peer: PeerSetup | undefined): (i: number) => Promise<void> {
  if (variant === 'raw') return () => call();
  if (peer) return (i) => peer.around(i, call);
  if (variant === 'als') {
    const als = new AsyncLocalStorage<object>();
    return (i) => als.run({ useCaseName: 'bench', userId: `user_${i % 100}`, limitIds: ['limit_monthly'] }, call);
  }
  const trackContext = sdk!.trackContext;
  return (i) => trackContext({ useCaseName: 'bench', userId: `user_${i % 100}`, limitIds: ['limit_monthly'] }, call);
}

/**
 * Makes `calls` calls, `concurrency` at a time. After each call the worker lets the event loop turn
 * once (`setImmediate`), as it does in an application, where every call waits for its socket: work
 * that a variant leaves for after the call (its delivery's `setImmediate`s) then runs between
 * calls, counted in the slice's CPU but not in the call's latency, as in an application. Without
 * it, the answers from memory keep the loop in microtasks for the whole slice.
 */
async function run(fn: (i: number) => Promise<void>, calls: number, concurrency: number, latencies?: number[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const i = next++;
      const t0 = performance.now();
      await fn(i);
      latencies?.push(performance.now() - t0);
      await new Promise<void>((resolve) => setImmediate(resolve));
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

/** Instruments the process for `variant` and returns the call to measure (warmed up). */
async function setUp(variant: Variant, provider: BenchProvider, mode: string, concurrency: number, warmup: number): Promise<{ fn: (i: number) => Promise<void>; meter: Meter | undefined }> {
  const sdk = variant === 'instrumented' ? loadSdk() : undefined;
  const peer = isPeer(variant) ? await setUpPeer(variant) : undefined;
  if (sdk) {
    // diagnostics: BENCH_OPTIONS (JSON) is merged into the options; BENCH_SINK=memory skips the Payi client (no JSON)
    const extra = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as PayiInstrumentOptions;
    const payi: IngestClient =
      process.env.BENCH_SINK === 'memory'
        ? { ingest: { units: async () => ({}), bulk: async () => ({ ...BULK_ACCEPTED }) } }
        : new sdk.Payi({ apiKey: 'bench', baseUrl: 'http://payi.bench.invalid', fetch: sinkFetch().fetch, maxRetries: 0 });
    sdk.payiInstrument({ payi, ...extra });
  }
  const fn = wrapped(variant, makeCall(provider, mode === 'stream', peer?.wrapClient), sdk, peer);
  const meter = sdk ? sdkMeter(sdk) : peer ? peerMeter(peer) : undefined;
  await run(fn, warmup, concurrency);
  await meter?.flush();
  if (meter && warmup > 0 && (await meter.sent()) === 0) throw new Error(`${variant}: nothing delivered after ${warmup} warm-up calls`);
  return { fn, meter };
}

/** The main thread's CPU so far, µs (`NaN` before Node 23.9). */
function threadCpu(): number {
  const read = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (!read) return NaN;
  const u = read.call(process);
  return u.user + u.system;
}

/** Runs `calls` calls and their delivery; CPU per call and latency percentiles. */
async function slice(fn: (i: number) => Promise<void>, meter: Meter | undefined, calls: number, concurrency: number): Promise<SliceResult> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const main0 = threadCpu();
  await run(fn, calls, concurrency, latencies);
  await meter?.flush();
  const cpu = process.cpuUsage(cpu0);
  const main = threadCpu() - main0;
  return { cpuPerCall: (cpu.user + cpu.system) / calls, mainCpuPerCall: main / calls, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/** Heap and RSS after two full GCs, and the events delivered (or spans received by the sink). */
async function finish(meter: Meter | undefined): Promise<FinishResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  const out = { heapMB: mem.heapUsed / 2 ** 20, rssMB: mem.rss / 2 ** 20, sent: (await meter?.sent()) ?? 0 };
  await meter?.shutdown();
  return out;
}

async function serve(args: string[]): Promise<void> {
  const [variant, provider, mode, conc, warmupArg] = args as [Variant, BenchProvider, string, string, string];
  const concurrency = Number(conc);
  const { fn, meter } = await setUp(variant, provider, mode, concurrency, Number(warmupArg));
  (globalThis as { gc?: () => void }).gc?.();
  let busy = Promise.resolve();
  process.on('message', (msg: { calls?: number; finish?: boolean }) => {
    busy = busy.then(async () => {
      if (msg.finish) {
        process.send!(await finish(meter));
        process.disconnect();
      } else {
        process.send!(await slice(fn, meter, msg.calls ?? 0, concurrency));
      }
    });
  });
  process.send!({ ready: true });
}

async function alone(args: string[]): Promise<void> {
  const [variant, provider, mode, conc, callsArg, warmupArg] = args as [Variant, BenchProvider, string, string, string, string];
  const concurrency = Number(conc);
  const { fn, meter } = await setUp(variant, provider, mode, concurrency, Number(warmupArg));
  (globalThis as { gc?: () => void }).gc?.();
  const profiler = process.env.BENCH_PROFILE ? await startProfile() : undefined;
  // bench/promotion.ts reads V8's GC trace lines between these marks (written synchronously, in order with V8's)
  if (process.env.BENCH_MARK_SLICE) writeSync(1, '# slice\n');
  const measured = await slice(fn, meter, Number(callsArg), concurrency);
  if (process.env.BENCH_MARK_SLICE) writeSync(1, '# end\n');
  if (profiler) await profiler(process.env.BENCH_PROFILE!);
  const result: WorkerResult = { variant, ...measured, ...(await finish(meter)) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const argv = process.argv.slice(2);
void (argv[0] === 'serve' ? serve(argv.slice(1)) : alone(argv));
