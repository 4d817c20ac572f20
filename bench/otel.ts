/**
 * Added CPU per call of the OpenTelemetry bridge, in process: the recorder's `finish()` (building
 * the event and handing it over) for the same OpenAI chat outcome, with the bridge off, on with no
 * provider registered, and on with the real SDK registered (a `BasicTracerProvider` whose spans go
 * through a `BatchSpanProcessor` to an exporter that drops them, and a `MeterProvider`). Rounds
 * alternate so that drift hits every mode alike. Prints microseconds of process CPU per call and
 * the difference to "off". Never fails on a number.
 *
 * Run: `npm run bench -- otel` (built), or `node --expose-gc -r ts-node/register/transpile-only bench/otel.ts [calls]`.
 */
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { mergeFrame } from '../src/context/merge';
import { createBridge, type CallObserver } from '../src/otel/bridge';
import { CallRecorder, type RecorderDeps } from '../src/recording/recorder';

const CALLS = Number(process.argv[2] ?? 20000);
const ROUNDS = 6;

const frame = mergeFrame({}, { useCaseName: 'bench', userId: 'u1', limitIds: ['l1'], requestTags: ['t'] });
const request = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'How much does this cost?' }] });
const response = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Not much at all, as it turns out.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
});

function depsWith(observer: CallObserver | undefined): RecorderDeps {
  const d: RecorderDeps = {
    logPromptAndResponse: true, enforceLimits: false, inline: false,
    blockedLimits: () => [], submit: () => undefined, sendInline: async () => undefined,
  };
  if (observer) d.observer = observer;
  return d;
}

/** Microseconds of process CPU per recorded call. */
function run(deps: RecorderDeps): number {
  // garbage of the previous mode (the SDK's spans) must not be collected on this mode's time
  (globalThis as { gc?: () => void }).gc?.();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const r = new CallRecorder('system.openai', frame, undefined, false, deps);
    r.finish({
      resource: 'gpt-4o-mini', units: { text: { input: 12, output: 9 } }, httpStatusCode: 200, responseId: `chatcmpl-${i}`,
      providerUri: 'http://127.0.0.1:4010/v1/chat/completions', requestJson: request, responseJson: response,
    });
  }
  const c = process.cpuUsage(cpu0);
  return (c.user + c.system) / CALLS;
}

class Reader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function main(): Promise<void> {
  const off = depsWith(undefined);
  const bridge = depsWith(createBridge({ spans: true, metrics: true }));
  const results: Record<string, number[]> = { off: [], 'on, no provider': [], 'on, SDK registered': [] };
  const exporter = { export: (_s: unknown, cb: (r: { code: number }) => void) => cb({ code: 0 }), shutdown: async () => undefined };
  const tp = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 100_000, maxExportBatchSize: 4096 })] });
  const mp = new MeterProvider({ readers: [new Reader()] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  run(off); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    results.off!.push(run(off));
    trace.disable();
    metrics.disable();
    results['on, no provider']!.push(run(bridge));
    trace.setGlobalTracerProvider(tp);
    metrics.setGlobalMeterProvider(mp);
    results['on, SDK registered']!.push(run(bridge));
    await tp.forceFlush();
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(results.off!);
  console.log(`OpenTelemetry bridge, ${CALLS} recorded calls x ${ROUNDS} rounds, CPU per call (median of rounds):`);
  for (const [name, xs] of Object.entries(results)) {
    const m = median(xs);
    console.log(`  ${name.padEnd(20)} ${m.toFixed(2).padStart(7)} us   added ${(m - base).toFixed(2).padStart(6)} us`);
  }
  await tp.shutdown();
  await mp.shutdown();
}

void main();
