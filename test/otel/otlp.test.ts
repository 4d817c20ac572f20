import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { openaiRoute, openaiStandinUsage } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { PayiConfigError } from '../../src/errors';
import { flush, ingestStats, payiInstrument, shutdown } from '../../src/instrument';
import type { PayiInstrumentOptions } from '../../src/options/types';
import { CaptureClient } from '../support/capture-client';
import { OtlpReceiver } from '../../samples/otel/receiver';

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Export me over OTLP' }] };
const usage = openaiStandinUsage(body);

let standin: Standin;
let receiver: OtlpReceiver;
let capture: CaptureClient;
let dir: string;
let client: OpenAI;
beforeAll(async () => {
  standin = await startStandin([openaiRoute]);
});
afterAll(() => standin.close());
beforeEach(async () => {
  receiver = new OtlpReceiver();
  await receiver.start();
  capture = new CaptureClient();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-otlp-'));
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${standin.url}/v1`, maxRetries: 0 });
});
afterEach(async () => {
  await shutdown();
  await receiver.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (otel: PayiInstrumentOptions['otel'], ingest: PayiInstrumentOptions['ingest'] = {}): void =>
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: 'otlp_tests', otel, ingest: { flushIntervalMs: 5, spillFile: path.join(dir, 'undelivered.jsonl'), ...ingest } });

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('every event arrives once as an OTLP/HTTP span (decoded from JSON), with metrics, beside the Pay-i sink; own counters in ingestStats()', async () => {
  start({ otlp: { endpoint: receiver.url, headers: { 'x-team': 'ml' } } });
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await client.chat.completions.create(body));
  await flush();

  expect(capture.events).toHaveLength(5);
  expect(receiver.spans).toHaveLength(5);
  expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(5);
  expect(receiver.spans.map((s) => s.attributes['gen_ai.response.id']).sort()).toEqual(answers.map((a) => a.id).sort());
  const event = capture.events.find((e) => e.provider_response_id === receiver.spans[0]!.attributes['gen_ai.response.id'])!;
  expect(receiver.spans[0]).toEqual({
    traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
    name: 'chat gpt-4o-mini',
    kind: 3, // SPAN_KIND_CLIENT in OTLP
    resource: expect.objectContaining({ 'service.name': expect.any(String), 'telemetry.sdk.language': 'nodejs' }),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.response.id': event.provider_response_id,
      'gen_ai.usage.input_tokens': usage.prompt,
      'gen_ai.usage.output_tokens': usage.completion,
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(standin.url).port),
      'http.response.status_code': 200,
      'payi.category': 'system.openai',
      'payi.request.id': event.provider_response_id,
      'payi.use_case.name': 'otlp_tests',
      'payi.use_case.id': event.use_case_id,
      ...(event.properties?.['system.usage_source'] ? { 'payi.usage_source': event.properties['system.usage_source'] } : {}),
      'payi.request.json': event.provider_request_json,
      'payi.response.json': event.provider_response_json,
    },
  });
  expect(receiver.headers.every((h) => h['x-team'] === 'ml' && h['content-type'] === 'application/json')).toBe(true);

  const tokens = receiver.latest('gen_ai.client.token.usage');
  expect(tokens.map((p) => [p.attributes['gen_ai.token.type'], p.attributes['payi.use_case.name'], p.count, p.sum])).toEqual([
    ['input', 'otlp_tests', 5, 5 * usage.prompt],
    ['output', 'otlp_tests', 5, 5 * usage.completion],
  ]);
  expect(receiver.latest('gen_ai.client.operation.duration').map((p) => p.count)).toEqual([5]);

  const stats = ingestStats();
  expect(stats.sinks.otlp).toEqual({ queued: 0, sent: 5, failed: 0, spilled: 0, retried: 0 });
  expect(stats.sinks.payi).toEqual({ queued: 0, sent: 5, failed: 0, spilled: 0, retried: 0 });
});

test('the receiver down, then back: the events are delivered after recovery, each once; the Pay-i sink is unaffected', async () => {
  await receiver.stop();
  start({ otlp: { endpoint: receiver.url, timeoutMs: 200 } });
  const a = await client.chat.completions.create(body);
  const b = await client.chat.completions.create({ ...body, stream: true });
  for await (const _ of b) void _;
  // the Pay-i sink delivers while the receiver is down
  await until(() => capture.events.length === 2);
  await until(() => ingestStats().sinks.otlp!.retried > 0);
  expect(ingestStats().sinks.payi).toMatchObject({ sent: 2, failed: 0, spilled: 0 });
  expect(a.choices[0]!.message.content).toBe(usage.reply);

  await receiver.start();
  await flush();
  expect(receiver.spans).toHaveLength(2);
  expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(2);
  expect(ingestStats().sinks.otlp).toMatchObject({ queued: 0, sent: 2, failed: 0, spilled: 0 });
  expect(receiver.latest('gen_ai.client.token.usage').map((p) => p.count)).toEqual([2, 2]);
});

test('the receiver never back: the events are spilled to the OTLP sink\'s own file and counted, never lost silently; Pay-i gets them all', async () => {
  await receiver.stop();
  start({ otlp: { endpoint: receiver.url, timeoutMs: 100 } }, { maxRetryMs: 300 });
  await client.chat.completions.create(body);
  await client.chat.completions.create(body);
  await flush();
  expect(ingestStats().sinks.otlp).toMatchObject({ sent: 0, spilled: 2 });
  expect(ingestStats().sinks.payi).toMatchObject({ sent: 2, spilled: 0 });
  const spilled = fs.readFileSync(path.join(dir, 'undelivered.otlp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(spilled.map((e) => e.provider_response_id).sort()).toEqual(capture.events.map((e) => e.provider_response_id).sort());
  expect(fs.existsSync(path.join(dir, 'undelivered.jsonl'))).toBe(false);
});

test('otlp: true follows OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS; OTEL_SERVICE_NAME names the resource', async () => {
  const saved = { ...process.env };
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-tenant=blue';
  process.env.OTEL_SERVICE_NAME = 'billing-api';
  try {
    start({ otlp: true });
    await client.chat.completions.create(body);
    await flush();
  } finally {
    for (const k of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_SERVICE_NAME']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  expect(receiver.spans).toHaveLength(1);
  expect(receiver.spans[0]!.resource['service.name']).toBe('billing-api');
  expect(receiver.headers[0]!['x-tenant']).toBe('blue');
});

test('bad otel options are PayiConfigErrors naming the option, the value and what was expected', () => {
  expect(() => payiInstrument({ otel: { otlp: { endpoint: 'ftp://collector' } } })).toThrow(
    new PayiConfigError('payiInstrument: otel.otlp.endpoint "ftp://collector" is invalid; expected an http(s) URL such as http://127.0.0.1:4318', 'otel.otlp.endpoint', 'ftp://collector'),
  );
  expect(() => payiInstrument({ otel: { spans: 'yes' as unknown as boolean } })).toThrow(/otel\.spans "yes" is invalid; expected true or false/);
  expect(() => payiInstrument({ otel: { traces: true } as never })).toThrow(/otel\.traces true is not an option; expected a known otel option \(spans, metrics, otlp\)/);
  expect(() => payiInstrument({ otel: { otlp: { headers: { a: 1 } } } as never })).toThrow(/otel\.otlp\.headers \{"a":1\} is invalid/);
  expect(() => payiInstrument({ otel: 'on' as never })).toThrow(/otel "on" is invalid/);
});
