import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import pino from 'pino';
import { flush, payiInstrument, shutdown } from '../../src/instrument';
import { anthropicStandin } from '../providers/anthropic/support';
import { bedrockClient, CLAUDE, NOVA, startBedrockStandin } from '../providers/bedrock/support';
import type { Standin } from '../../samples/standin/server';
import { CaptureClient } from '../support/capture-client';
import { attrs, points, registerOtel, type OtelSdk } from './support';

let sdk: OtelSdk;
let capture: CaptureClient;
const standins: Standin[] = [];
let anthropic: Awaited<ReturnType<typeof anthropicStandin>>;
let bedrockStandin: Standin;
let bedrock: BedrockRuntimeClient;

beforeAll(async () => {
  anthropic = await anthropicStandin();
  bedrockStandin = await startBedrockStandin();
  standins.push(anthropic.standin, bedrockStandin);
});
afterAll(async () => {
  for (const s of standins) await s.close();
});
beforeEach(() => {
  sdk = registerOtel();
  capture = new CaptureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: 'otel_tests', ingest: { spillFile: false } });
  bedrock = bedrockClient(bedrockStandin);
});
afterEach(async () => {
  await shutdown();
  bedrock.destroy();
  await sdk.close();
});

const portOf = (s: Standin): number => Number(new URL(s.url).port);
/** Runs `fn` under an application span; returns the span. */
async function underAppSpan<T>(fn: () => Promise<T>): Promise<{ app: ReturnType<ReturnType<typeof trace.getTracer>['startSpan']>; value: T }> {
  const app = trace.getTracer('app').startSpan('job');
  const value = await context.with(trace.setSpan(context.active(), app), fn);
  app.end();
  return { app, value };
}

describe('Anthropic', () => {
  const body = { model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Summarise the incident' }] };

  test('messages.create under an application span: the exact attribute set, parented to the application span', async () => {
    const { app, value: msg } = await underAppSpan(() => anthropic.client().messages.create(body));
    await flush();
    const [event] = capture.events;
    const [span] = sdk.payiSpans();
    expect(sdk.payiSpans()).toHaveLength(1);
    expect(span!.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.name).toBe('chat claude-opus-4-6');
    expect(attrs(span!)).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-opus-4-6',
      'gen_ai.response.model': msg.model,
      'gen_ai.response.id': msg.id,
      'gen_ai.usage.input_tokens': msg.usage.input_tokens,
      'gen_ai.usage.output_tokens': msg.usage.output_tokens,
      'gen_ai.response.finish_reasons': [msg.stop_reason],
      'server.address': '127.0.0.1',
      'server.port': portOf(anthropic.standin),
      'http.response.status_code': 200,
      'payi.category': 'system.anthropic',
      'payi.request.id': msg.id,
      'payi.use_case.name': 'otel_tests',
      'payi.use_case.id': event!.use_case_id,
      'payi.usage_source': 'reported',
      'payi.request.json': event!.provider_request_json,
      'payi.response.json': event!.provider_response_json,
    });
  });

  test('a stream read to its end: the span has the stream outcome, the finish reason from message_delta, and token metrics', async () => {
    const stream = await anthropic.client().messages.create({ ...body, stream: true });
    let stop: string | null | undefined;
    let output = 0;
    for await (const e of stream) {
      if (e.type === 'message_delta') {
        stop = e.delta.stop_reason;
        output = e.usage.output_tokens;
      }
    }
    await flush();
    const a = attrs(sdk.payiSpans()[0]!);
    expect(a).toMatchObject({ 'payi.stream_outcome': 'completed', 'gen_ai.response.finish_reasons': [stop], 'gen_ai.usage.output_tokens': output, 'gen_ai.response.model': 'claude-opus-4-6' });
    const m = await sdk.collect();
    expect(points(m, 'gen_ai.client.token.usage').map((p) => [p.attributes['gen_ai.token.type'], p.attributes['gen_ai.provider.name'], p.value])).toEqual([
      ['input', 'anthropic', { count: 1, sum: a['gen_ai.usage.input_tokens'] }],
      ['output', 'anthropic', { count: 1, sum: output }],
    ]);
  });

  test('an overloaded (529) error: the SDK error reaches the caller; the span has error.type 529 and status ERROR', async () => {
    const err = await anthropic.client().messages.create(body, { headers: { 'x-standin-scenario': 'error-529' } }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(529);
    await flush();
    const [span] = sdk.payiSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(attrs(span!)).toMatchObject({ 'error.type': '529', 'http.response.status_code': 529, 'gen_ai.provider.name': 'anthropic' });
  });
});

describe('Bedrock', () => {
  const converse = (modelId: string) => ({ modelId, messages: [{ role: 'user' as const, content: [{ text: 'Classify this ticket' }] }] });

  test('Converse under an application span: the exact attribute set', async () => {
    const { app, value: out } = await underAppSpan(() => bedrock.send(new ConverseCommand(converse(NOVA))));
    await flush();
    const [event] = capture.events;
    const [span] = sdk.payiSpans();
    expect(span!.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    expect(span!.name).toBe(`chat ${NOVA}`);
    expect(attrs(span!)).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': NOVA,
      'gen_ai.response.id': out.$metadata.requestId,
      'gen_ai.usage.input_tokens': out.usage!.inputTokens,
      'gen_ai.usage.output_tokens': out.usage!.outputTokens,
      'gen_ai.response.finish_reasons': [out.stopReason],
      'server.address': '127.0.0.1',
      'server.port': portOf(bedrockStandin),
      'http.response.status_code': 200,
      'payi.category': 'system.aws.bedrock',
      'payi.request.id': out.$metadata.requestId,
      'payi.use_case.name': 'otel_tests',
      'payi.use_case.id': event!.use_case_id,
      'payi.usage_source': 'reported',
      'payi.request.json': event!.provider_request_json,
      'payi.response.json': event!.provider_response_json,
    });
  });

  test('ConverseStream: one span when the stream ends, finish reason from messageStop, outcome completed', async () => {
    const out = await bedrock.send(new ConverseStreamCommand(converse(CLAUDE)));
    let stop: string | undefined;
    for await (const e of out.stream ?? []) if (e.messageStop) stop = e.messageStop.stopReason;
    await flush();
    expect(sdk.payiSpans()).toHaveLength(1);
    expect(attrs(sdk.payiSpans()[0]!)).toMatchObject({ 'payi.stream_outcome': 'completed', 'gen_ai.response.finish_reasons': [stop], 'gen_ai.request.model': CLAUDE });
  });

  test('a throttled call: the AWS error reaches the caller; error.type 429 on the span and the duration metric', async () => {
    const err = await bedrock.send(new ConverseCommand(converse('amazon.nova-throttle-v1:0'))).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ThrottlingException');
    await flush();
    const [span] = sdk.payiSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(attrs(span!)['error.type']).toBe('429');
    const m = await sdk.collect();
    expect(points(m, 'gen_ai.client.operation.duration').map((p) => p.attributes['error.type'])).toEqual(['429']);
  });
});
