/**
 * The peer observability SDKs of the in-process benchmark, set up as their documentation shows,
 * exporting to the OTLP sink of bench/inprocess/otlp-sink.ts (a child process on 127.0.0.1):
 *
 * - `langfuse`: `@langfuse/otel`'s `LangfuseSpanProcessor` (default batched export: OTel's
 *   `BatchSpanProcessor` and the OTLP/HTTP JSON exporter) on an OpenTelemetry `NodeSDK`, the client
 *   wrapped by `@langfuse/openai`'s `observeOpenAI(client)`, each call inside
 *   `propagateAttributes({ userId, sessionId }, call)`. OpenAI only: Langfuse has no Anthropic wrapper.
 * - `openllmetry`: `@traceloop/node-server-sdk`'s `traceloop.initialize({ instrumentModules: {
 *   openAI, anthropic } })` (default batched export: `BatchSpanProcessor` and the OTLP/HTTP protobuf
 *   exporter), each call inside `traceloop.withAssociationProperties({ userId, sessionId }, call)`.
 *
 * Prompt and response capture stay on (both peers' default), and so does OpenLLMetry's token
 * enrichment (`TRACELOOP_ENRICH_TOKENS`, default true: a stream without a usage chunk has its prompt
 * and completion counted with js-tiktoken). Two things a user following the docs also gets: the
 * `NodeSDK` of either peer registers, with no `OTEL_METRICS_EXPORTER` set, a periodic OTLP metric
 * reader (every 60 s, to localhost:4318; nothing here records metrics); and @anthropic-ai/sdk 1.x
 * emits its own OpenTelemetry span once a tracer provider is registered, so OpenLLMetry exports two
 * spans per Anthropic call (its own and the SDK's child span). The packages are not dependencies of
 * this repository: they are installed in bench/peers (`npm ci --prefix bench/peers`) and loaded
 * from there with `require` at run time, typed loosely here, so the main build needs none of them.
 * The instrumented `openai` / `@anthropic-ai/sdk` are the worker's own copies (this repository's
 * node_modules): Langfuse wraps the client instance, OpenLLMetry patches the classes passed in
 * `instrumentModules`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { SinkCount, SinkReady } from './otlp-sink';

/** The peer SDKs the benchmark can run as variants. */
export const PEERS = ['langfuse', 'openllmetry'] as const;
/** One peer SDK. */
export type Peer = (typeof PEERS)[number];

/** Does `peer` instrument `provider`'s client here? (Langfuse: OpenAI only; neither peer on Bedrock.) */
export function peerSupports(peer: Peer, provider: 'openai' | 'anthropic' | 'bedrock'): boolean {
  if (provider === 'bedrock') return false; // neither is set up for the AWS SDK here
  return peer !== 'langfuse' || provider === 'openai';
}

/**
 * The bench/peers folder holding the peers' node_modules (`BENCH_PEERS_DIR` overrides), found from
 * this file's place both in the sources (bench/inprocess) and in the build (dist/bench/inprocess);
 * `undefined` when the packages are not installed.
 */
export function peersDir(): string | undefined {
  const candidates = process.env.BENCH_PEERS_DIR
    ? [path.resolve(process.env.BENCH_PEERS_DIR)]
    : [path.resolve(__dirname, '..', 'peers'), path.resolve(__dirname, '..', '..', '..', 'bench', 'peers')];
  return candidates.find((dir) => existsSync(path.join(dir, 'node_modules', '@traceloop', 'node-server-sdk')) && existsSync(path.join(dir, 'node_modules', '@langfuse', 'otel')));
}

/** A peer set up in this process: wraps the client and each call; flushes its batches; counts what the sink received. */
export interface PeerSetup {
  /** Returns the client to call (Langfuse: its proxy; OpenLLMetry: the client itself, its class being patched). */
  wrapClient<T extends object>(client: T): T;
  /** Runs one call inside the peer's per-call attribution context. */
  around(i: number, call: () => Promise<void>): Promise<void>;
  /** Exports every ended span now and waits for the sink's answer (the span processor's `forceFlush`). */
  flush(): Promise<void>;
  /** Spans the sink has received so far. */
  sent(): Promise<SinkCount>;
  /** Shuts the peer's SDK down and stops the sink. */
  shutdown(): Promise<void>;
}

/** Starts the OTLP sink process; resolves with its URL, a counter and a stop function. */
async function startSink(): Promise<{ url: string; count(): Promise<SinkCount>; stop(): void }> {
  const ext = path.extname(__filename);
  const child: ChildProcess = fork(path.join(__dirname, `otlp-sink${ext}`), [], {
    execArgv: ext === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`otlp sink exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as T);
      });
    });
  const { port } = await next<SinkReady>();
  // left referenced until `stop()`: a count asked for keeps this process alive until its answer
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => {
      const r = next<SinkCount>();
      child.send({ count: true });
      return r;
    },
    stop: () => {
      if (child.connected) child.disconnect();
    },
  };
}

/** Loosely typed views of the peer packages (their types are not visible to this build). */
interface SpanProcessorLike {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
interface LangfuseModules {
  LangfuseSpanProcessor: new (params: Record<string, unknown>) => SpanProcessorLike;
  NodeSDK: new (config: Record<string, unknown>) => { start(): void; shutdown(): Promise<void> };
  observeOpenAI<T>(client: T, config?: Record<string, unknown>): T;
  propagateAttributes<R>(params: Record<string, unknown>, fn: () => R): R;
}
interface Traceloop {
  initialize(options: Record<string, unknown>): unknown;
  withAssociationProperties<R>(properties: Record<string, string>, fn: () => R): R;
  forceFlush(): Promise<void>;
}

function load(dir: string, name: string): unknown {
  return require(require.resolve(name, { paths: [dir] }));
}

async function langfuse(dir: string): Promise<PeerSetup> {
  const sink = await startSink();
  const m: LangfuseModules = {
    LangfuseSpanProcessor: (load(dir, '@langfuse/otel') as LangfuseModules).LangfuseSpanProcessor,
    NodeSDK: (load(dir, '@opentelemetry/sdk-node') as LangfuseModules).NodeSDK,
    observeOpenAI: (load(dir, '@langfuse/openai') as LangfuseModules).observeOpenAI,
    propagateAttributes: (load(dir, '@langfuse/tracing') as LangfuseModules).propagateAttributes,
  };
  // as the docs' instrumentation.ts: the processor on a NodeSDK, keys and host given (here in code rather than LANGFUSE_* variables)
  const processor = new m.LangfuseSpanProcessor({ publicKey: 'pk-lf-bench', secretKey: 'sk-lf-bench', baseUrl: sink.url });
  const sdk = new m.NodeSDK({ spanProcessors: [processor] });
  sdk.start();
  return {
    wrapClient: (client) => m.observeOpenAI(client),
    around: (i, call) => m.propagateAttributes({ userId: `user_${i % 100}`, sessionId: 'bench' }, call),
    flush: () => processor.forceFlush(),
    sent: () => sink.count(),
    shutdown: async () => {
      await sdk.shutdown();
      sink.stop();
    },
  };
}

/**
 * `@anthropic-ai/sdk` as `@traceloop/instrumentation-anthropic` 0.27 can take it. Its patch wraps
 * `Anthropic.Completions.prototype.create` first, and the legacy text-completions resource is gone
 * from @anthropic-ai/sdk 1.x, so both its require hook and `manuallyInstrument` throw on 1.x
 * (`Cannot read properties of undefined (reading 'prototype')`) and nothing is instrumented. Given
 * this view instead (the module's exports, with an `Anthropic` whose `Completions` is an empty
 * class), it wraps the real `Messages` and `Beta.Messages` prototypes and records every call.
 */
function anthropicForTraceloop(): unknown {
  const mod = require('@anthropic-ai/sdk') as { Anthropic: { Completions?: unknown; Messages: unknown; Beta: unknown } };
  if (mod.Anthropic.Completions) return mod;
  const Completions = class {
    create(): void {}
  };
  return { ...mod, Anthropic: { Completions, Messages: mod.Anthropic.Messages, Beta: mod.Anthropic.Beta } };
}

async function openllmetry(dir: string): Promise<PeerSetup> {
  const sink = await startSink();
  const traceloop = load(dir, '@traceloop/node-server-sdk') as Traceloop;
  // the worker's own copies of the provider SDKs (the repository's node_modules), passed in explicitly as the docs show for bundled or pre-loaded modules
  traceloop.initialize({
    appName: 'bench',
    apiKey: 'tl-bench',
    baseUrl: sink.url,
    silenceInitializationMessage: true,
    instrumentModules: { openAI: require('openai').OpenAI, anthropic: anthropicForTraceloop() },
  });
  return {
    wrapClient: (client) => client,
    around: (i, call) => traceloop.withAssociationProperties({ userId: `user_${i % 100}`, sessionId: 'bench' }, call),
    flush: () => traceloop.forceFlush(),
    sent: () => sink.count(),
    shutdown: async () => {
      await traceloop.forceFlush();
      sink.stop();
    },
  };
}

/**
 * Sets `peer` up in this process (its OTLP sink started first); throws when bench/peers is not installed.
 *
 * @example
 * ```ts
 * const peer = await setUpPeer('openllmetry');
 * const client = peer.wrapClient(new OpenAI({ apiKey: 'bench', fetch: memoryFetch('openai') }));
 * await peer.around(0, () => client.chat.completions.create({ ... }).then(() => undefined));
 * await peer.flush();
 * ```
 */
export async function setUpPeer(peer: Peer): Promise<PeerSetup> {
  const dir = peersDir();
  if (!dir) throw new Error('the peer SDKs are not installed: npm ci --prefix bench/peers');
  return peer === 'langfuse' ? langfuse(dir) : openllmetry(dir);
}
