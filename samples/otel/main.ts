/**
 * Sample: Pay-i events exported over OTLP/HTTP beside the Pay-i sink (docs/opentelemetry.md).
 *
 * `runOtelSample()` instruments with `otel: { otlp: { endpoint } }`, makes two OpenAI calls (one
 * streamed) in a use case, flushes and shuts down. Run directly, it starts the OpenAI stand-in and
 * a local OTLP receiver on 127.0.0.1 and prints the spans and metrics that arrived:
 *
 *   npx ts-node --transpile-only samples/otel/main.ts
 *
 * Against a real OpenTelemetry Collector, give its endpoint instead (or set
 * `OTEL_EXPORTER_OTLP_ENDPOINT` and use `otlp: true`).
 */
import OpenAI from 'openai';
import { flush, ingestStats, payiInstrument, shutdown, trackContext } from 'payi-instrument';
import { openaiRoute } from '../standin/openai';
import { startStandin } from '../standin/server';
import { OtlpReceiver } from './receiver';

/** What the sample needs: where the OTLP receiver and the OpenAI API are, and where events go offline. */
export interface OtelSampleOptions {
  otlpEndpoint: string;
  openaiBaseUrl: string;
  /** The offline file standing in for Pay-i (the sample needs no Pay-i account). */
  eventsFile: string;
}

/**
 * Runs the sample once; resolves to `ingestStats()` after shutdown.
 *
 * @example
 * ```ts
 * const stats = await runOtelSample({ otlpEndpoint: 'http://127.0.0.1:4318', openaiBaseUrl: 'http://127.0.0.1:4010/v1', eventsFile: './events.jsonl' });
 * ```
 */
export async function runOtelSample(o: OtelSampleOptions): Promise<ReturnType<typeof ingestStats>> {
  payiInstrument({ useCaseName: 'otel_sample', offline: { file: o.eventsFile }, otel: { otlp: { endpoint: o.otlpEndpoint } } });
  const client = new OpenAI({ apiKey: 'sk-sample', baseURL: o.openaiBaseUrl, maxRetries: 0 });
  await trackContext({ useCaseName: 'ticket_triage', userId: 'agent-7', requestTags: ['sample'] }, async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Classify: printer on fire' }] });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Draft a reply' }] });
    for await (const _ of stream) void _;
  });
  await flush();
  await shutdown();
  return ingestStats();
}

async function main(): Promise<void> {
  const standin = await startStandin([openaiRoute]);
  const receiver = new OtlpReceiver();
  await receiver.start();
  try {
    const stats = await runOtelSample({ otlpEndpoint: receiver.url, openaiBaseUrl: `${standin.url}/v1`, eventsFile: './.payi/otel-sample-events.jsonl' });
    for (const s of receiver.spans) console.log(`span ${s.name}: ${JSON.stringify(s.attributes, (k, v) => (k.endsWith('.json') ? '...' : v))}`);
    for (const p of receiver.latest('gen_ai.client.token.usage')) console.log(`gen_ai.client.token.usage ${p.attributes['gen_ai.token.type']}: count ${p.count}, sum ${p.sum}`);
    console.log('ingestStats().sinks:', JSON.stringify(stats.sinks));
  } finally {
    await receiver.stop();
    await standin.close();
  }
}

if (require.main === module) void main();
