import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { openaiStandinUsage } from '../../samples/standin/openai';
import { trackContext } from '../../src/context/scope';
import { createBridge } from '../../src/otel/bridge';
import type { PayiEvent } from '../../src/events/types';
import { startHarness, type OpenAIHarness } from '../providers/openai/helpers';
import { attrs, hrMs, points, registerOtel, type OtelSdk } from './support';

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Tell me about tracing spans' }] };
const usage = openaiStandinUsage(body);

let sdk: OtelSdk;
let h: OpenAIHarness;
afterEach(async () => {
  await h?.close();
  await sdk?.close();
});

/** The attributes every span of a successful chat call to the stand-in has (the call's own values filled in). */
function chatAttributes(event: PayiEvent, port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini',
    'gen_ai.response.id': event.provider_response_id,
    'gen_ai.usage.input_tokens': usage.prompt,
    'gen_ai.usage.output_tokens': usage.completion,
    'gen_ai.response.finish_reasons': ['stop'],
    'server.address': '127.0.0.1',
    'server.port': port,
    'http.response.status_code': 200,
    'payi.category': 'system.openai',
    'payi.request.id': event.provider_response_id,
    'payi.use_case.name': 'openai_tests',
    'payi.use_case.id': event.use_case_id,
    ...(event.properties?.['system.usage_source'] ? { 'payi.usage_source': event.properties['system.usage_source'] } : {}),
    'payi.request.json': event.provider_request_json,
    'payi.response.json': event.provider_response_json,
    ...extra,
  };
}

test('a chat completion under an application span: one CLIENT span, its child, with the GenAI attributes, the event\'s times, and the metrics', async () => {
  sdk = registerOtel();
  h = await startHarness();
  const app = trace.getTracer('app').startSpan('handle-request');
  const answer = await context.with(trace.setSpan(context.active(), app), () => h.client.chat.completions.create(body));
  app.end();
  const [event] = await h.events();
  const port = Number(new URL(h.standin.url).port);

  const spans = sdk.payiSpans();
  expect(spans).toHaveLength(1);
  const span = spans[0]!;
  expect(span.name).toBe('chat gpt-4o-mini');
  expect(span.kind).toBe(SpanKind.CLIENT);
  expect(span.spanContext().traceId).toBe(app.spanContext().traceId);
  expect(span.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
  expect(span.status.code).toBe(SpanStatusCode.UNSET);
  expect(attrs(span)).toEqual(chatAttributes(event!, port));
  expect(event!.provider_response_id).toBe(answer.id);
  expect(hrMs(span.startTime)).toBe(Date.parse(event!.event_timestamp));
  expect(hrMs(span.endTime)).toBe(Date.parse(event!.event_timestamp) + event!.end_to_end_latency_ms!);

  const m = await sdk.collect();
  const common = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini', 'server.address': '127.0.0.1', 'server.port': port, 'payi.use_case.name': 'openai_tests' };
  expect(points(m, 'gen_ai.client.token.usage')).toEqual([
    { attributes: { ...common, 'gen_ai.token.type': 'input' }, value: { count: 1, sum: usage.prompt } },
    { attributes: { ...common, 'gen_ai.token.type': 'output' }, value: { count: 1, sum: usage.completion } },
  ]);
  expect(points(m, 'gen_ai.client.operation.duration')).toEqual([{ attributes: common, value: { count: 1, sum: event!.end_to_end_latency_ms! / 1000 } }]);
  expect(m.find((x) => x.descriptor.name === 'gen_ai.client.token.usage')?.descriptor.unit).toBe('{token}');
  expect(m.find((x) => x.descriptor.name === 'gen_ai.client.operation.duration')?.descriptor.unit).toBe('s');
  // batched mode: the cost is not known to the SDK, so no cost is counted
  expect(points(m, 'payi.client.cost')).toEqual([]);
});

test('a streamed chat completion: the span carries the stream outcome and time to first token, and is created when the stream ends', async () => {
  sdk = registerOtel();
  h = await startHarness();
  const stream = await h.client.chat.completions.create({ ...body, stream: true });
  expect(sdk.payiSpans()).toHaveLength(0);
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  expect(text).toBe(usage.reply);
  const [event] = await h.events();
  const port = Number(new URL(h.standin.url).port);
  const [span] = sdk.payiSpans();
  expect(attrs(span!)).toEqual(
    chatAttributes(event!, port, { 'payi.stream_outcome': 'completed', 'payi.time_to_first_token_ms': event!.time_to_first_token_ms }),
  );
  expect(sdk.payiSpans()).toHaveLength(1);
});

test('a provider error: the caller gets the SDK\'s error unchanged; the span has error.type and status ERROR; duration metric carries error.type', async () => {
  sdk = registerOtel();
  h = await startHarness();
  const err = await h.client.chat.completions.create(body, { headers: { 'x-standin-scenario': 'error-429' } }).catch((e: unknown) => e);
  expect((err as { status?: number }).status).toBe(429);
  expect((err as Error).constructor.name).toBe('RateLimitError');
  const [event] = await h.events();
  const [span] = sdk.payiSpans();
  expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  expect(attrs(span!)).toMatchObject({ 'error.type': '429', 'http.response.status_code': 429, 'gen_ai.usage.input_tokens': 0, 'gen_ai.usage.output_tokens': 0 });
  expect(attrs(span!)['gen_ai.response.finish_reasons']).toBeUndefined();
  expect(event!.http_status_code).toBe(429);
  const m = await sdk.collect();
  expect(points(m, 'gen_ai.client.operation.duration').map((p) => p.attributes['error.type'])).toEqual(['429']);
  expect(points(m, 'gen_ai.client.token.usage')).toEqual([]);
});

test('the Pay-i event and the span of the same call carry the same attribution, field by field', async () => {
  sdk = registerOtel();
  h = await startHarness();
  await trackContext(
    { useCaseName: 'support_bot', useCaseVersion: 3, useCaseStep: 'answer', userId: 'u-17', accountName: 'acme', limitIds: ['lim-a', 'lim-b'], requestTags: ['beta', 'eu'] },
    () => h.client.chat.completions.create(body),
  );
  const [event] = await h.events();
  const a = attrs(sdk.payiSpans()[0]!);
  const pairs: [keyof PayiEvent, string][] = [
    ['category', 'payi.category'],
    ['resource', 'gen_ai.request.model'],
    ['provider_response_id', 'gen_ai.response.id'],
    ['use_case_name', 'payi.use_case.name'],
    ['use_case_id', 'payi.use_case.id'],
    ['use_case_version', 'payi.use_case.version'],
    ['use_case_step', 'payi.use_case.step'],
    ['user_id', 'payi.user.id'],
    ['account_name', 'payi.account.name'],
    ['limit_ids', 'payi.limit_ids'],
    ['request_tags', 'payi.request_tags'],
    ['http_status_code', 'http.response.status_code'],
    ['provider_request_json', 'payi.request.json'],
    ['provider_response_json', 'payi.response.json'],
  ];
  for (const [field, attribute] of pairs) {
    expect({ field, value: a[attribute] }).toEqual({ field, value: event![field] });
    expect(event![field]).toBeDefined();
  }
  const units = Object.values(event!.units);
  expect(a['gen_ai.usage.input_tokens']).toBe(units.reduce((n, u) => n + (u.input ?? 0), 0));
  expect(a['gen_ai.usage.output_tokens']).toBe(units.reduce((n, u) => n + (u.output ?? 0), 0));
  expect(a['payi.usage_source']).toBe(event!.properties?.['system.usage_source']);
});

test('logPromptAndResponse: false keeps prompt and response out of the span', async () => {
  sdk = registerOtel();
  h = await startHarness({ logPromptAndResponse: false });
  await h.client.chat.completions.create(body);
  const [event] = await h.events();
  expect(event!.provider_request_json).toBeUndefined();
  const a = attrs(sdk.payiSpans()[0]!);
  expect(Object.keys(a).filter((k) => k.endsWith('.json'))).toEqual([]);
  expect(a).toMatchObject({ 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': usage.prompt, 'gen_ai.usage.output_tokens': usage.completion });
});

test('inline mode: the cost the service answered is on the span and counted by the cost counter', async () => {
  sdk = registerOtel();
  h = await startHarness({ ingest: { mode: 'inline', spillFile: false } });
  await h.client.chat.completions.create(body);
  await h.events();
  await new Promise((r) => setImmediate(r));
  expect(attrs(sdk.payiSpans()[0]!)).toMatchObject({ 'payi.cost.total': 0.001, 'payi.cost.currency': 'usd' });
  const m = await sdk.collect();
  expect(points(m, 'payi.client.cost')).toEqual([{ attributes: expect.objectContaining({ 'payi.use_case.name': 'openai_tests', 'payi.cost.currency': 'usd' }), value: 0.001 }]);
});

test('no span or metric when the application registered no provider, or with otel: false; the calls are unchanged', async () => {
  sdk = registerOtel({});
  h = await startHarness();
  const a = await h.client.chat.completions.create(body);
  expect(a.choices[0]!.message.content).toBe(usage.reply);
  expect(sdk.allSpans()).toHaveLength(0);
  await h.close();
  await sdk.close();
  sdk = registerOtel();
  h = await startHarness({ otel: false });
  await h.client.chat.completions.create(body);
  expect(await h.events()).toHaveLength(1);
  expect(sdk.payiSpans()).toHaveLength(0);
  expect(await sdk.collect()).toEqual([]);
});

test('a tracer and a meter that throw never change the call: same answer, the Pay-i event still delivered', async () => {
  sdk = registerOtel({});
  const broken = () => {
    throw new Error('broken telemetry');
  };
  trace.setGlobalTracerProvider({ getTracer: () => ({ startSpan: broken, startActiveSpan: broken }) as never });
  const { metrics } = await import('@opentelemetry/api');
  metrics.setGlobalMeterProvider({ getMeter: () => ({ createHistogram: () => ({ record: broken }), createCounter: () => ({ add: broken }) }) as never });
  h = await startHarness();
  const answer = await h.client.chat.completions.create(body);
  expect(answer.choices[0]!.message.content).toBe(usage.reply);
  const stream = await h.client.chat.completions.create({ ...body, stream: true });
  let text = '';
  for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
  expect(text).toBe(usage.reply);
  expect(await h.events()).toHaveLength(2);
});

test('without @opentelemetry/api (or with both parts off) there is no observer at all', () => {
  expect(createBridge({ spans: true, metrics: true }, () => undefined)).toBeUndefined();
  expect(createBridge({ spans: false, metrics: false })).toBeUndefined();
  expect(createBridge({ spans: true, metrics: false })).toBeDefined();
});

test('a stream the caller stops early: one span, outcome abandoned, still a child of the application span', async () => {
  sdk = registerOtel();
  h = await startHarness();
  const app = trace.getTracer('app').startSpan('early-exit');
  await context.with(trace.setSpan(context.active(), app), async () => {
    const stream = await h.client.chat.completions.create({ ...body, stream: true });
    for await (const _ of stream) break;
  });
  app.end();
  await h.events();
  const spans = sdk.payiSpans();
  expect(spans).toHaveLength(1);
  expect(spans[0]!.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
  expect(attrs(spans[0]!)['payi.stream_outcome']).toBe('abandoned');
});
