/**
 * Issue 11 item 6: an abandoned (or broken) stream is recorded with what is known, estimated from
 * the request and the chunks received, and every event says how its usage is known in
 * `properties["system.usage_source"]`; the collector stores and shows it. Real openai and
 * Anthropic clients against the stand-ins; estimates are checked against an exact BPE count
 * (gpt-tokenizer, a dev dependency here) of the same text.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pino from 'pino';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { flush, payiInstrument, shutdown } from '../../src/instrument';
import type { PayiEvent } from '../../src/events/types';
import { chunkText, settleUsage } from '../../src/usage';
import { call, startTestCollector } from '../collector/support';
import { CaptureClient } from '../support/capture-client';

const PROMPT =
  'Summarise the following note for a busy reader. The quarterly review showed that support tickets fell by a fifth after the new ' +
  'onboarding guide shipped, while the time to first answer stayed flat; the team wants to know whether to hire before the holidays, ' +
  'and what the risks are if they wait until the spring budget is approved.';
const messages = [{ role: 'user' as const, content: PROMPT }];

let standin: Standin;
let capture: CaptureClient;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  standin = await startStandin([openaiRoute, anthropicRoute]);
  openai = new OpenAI({ apiKey: 'k', baseURL: `${standin.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'k', baseURL: standin.url, maxRetries: 0 });
});
afterAll(async () => {
  await standin.close();
});
beforeEach(() => {
  capture = new CaptureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null, ingest: { flushIntervalMs: 5, spillFile: false } });
});
afterEach(async () => {
  await shutdown();
});

async function onlyEvent(): Promise<PayiEvent> {
  await flush();
  expect(capture.events).toHaveLength(1);
  return capture.events[0]!;
}

/** The estimate is near the exact count: within 30% (and 3 tokens for short texts). */
function near(estimate: number | undefined, exact: number): void {
  expect(estimate).toBeGreaterThan(0);
  expect(Math.abs((estimate ?? 0) - exact)).toBeLessThanOrEqual(Math.max(3, 0.3 * exact));
}

describe('OpenAI chat stream', () => {
  test('abandoned after two chunks: input estimated from the messages, output from the chunks received; usage_source estimated', async () => {
    let received = '';
    let n = 0;
    for await (const chunk of await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })) {
      received += chunkText(chunk);
      if (++n === 2) break;
    }
    const e = await onlyEvent();
    expect(e.properties).toEqual({ 'system.stream_outcome': 'abandoned', 'system.usage_source': 'estimated' });
    expect(Object.keys(e.units)).toEqual(['text']);
    near(e.units.text?.input, countTokens(PROMPT));
    near(e.units.text?.output, countTokens(received));
  });

  test('broken by the connection: estimated the same way, usage_source estimated', async () => {
    let received = '';
    await expect(
      (async () => {
        const s = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, { headers: { 'x-standin-scenario': 'drop-stream' } });
        for await (const chunk of s) received += chunkText(chunk);
      })(),
    ).rejects.toThrow();
    const e = await onlyEvent();
    expect(e.properties).toMatchObject({ 'system.stream_outcome': 'failed', 'system.usage_source': 'estimated' });
    near(e.units.text?.input, countTokens(PROMPT));
    near(e.units.text?.output, countTokens(received));
  });

  test('completed: the provider\'s own counts, usage_source reported', async () => {
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } })) usage ??= chunk.usage ?? undefined;
    const e = await onlyEvent();
    expect(e.properties).toEqual({ 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' });
    expect(e.units).toEqual({ text: { input: usage?.prompt_tokens, output: usage?.completion_tokens } });
  });
});

describe('every event says how its usage is known', () => {
  test('a plain call is reported; a call refused with 500 before any answer is missing (no tokens)', async () => {
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await expect(openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-standin-scenario': 'error-500' } })).rejects.toThrow();
    await flush();
    expect(capture.events.map((e) => [e.http_status_code, e.properties?.['system.usage_source'], e.units])).toEqual([
      [200, 'reported', expect.objectContaining({ text: expect.any(Object) })],
      [500, 'missing', {}],
    ]);
  });
});

describe('Anthropic stream', () => {
  test('abandoned after the first text: input as reported by message_start, output estimated from the text received', async () => {
    let received = '';
    let inputReported: number | undefined;
    const stream = await anthropic.messages.create({ model: 'claude-opus-4-6', max_tokens: 200, messages, stream: true });
    for await (const event of stream) {
      if (event.type === 'message_start') inputReported = event.message.usage.input_tokens;
      received += chunkText(event);
      if (event.type === 'content_block_delta') break;
    }
    const e = await onlyEvent();
    expect(e.properties).toEqual({ 'system.stream_outcome': 'abandoned', 'system.usage_source': 'estimated' });
    expect(e.units.text?.input).toBe(inputReported);
    near(e.units.text?.output, countTokens(received));
  });
});

describe('settleUsage', () => {
  test('an abandoned stream whose usage already covers what was received stays reported', () => {
    expect(settleUsage({ units: { text: { input: 10, output: 50 } }, streamOutcome: 'abandoned', requestText: () => 'x', outputText: () => 'short' })).toEqual({
      units: { text: { input: 10, output: 50 } },
      source: 'reported',
    });
  });
  test('an abandoned stream with nothing to count is missing', () => {
    expect(settleUsage({ units: {}, streamOutcome: 'abandoned', requestText: () => '', outputText: () => '' })).toEqual({ units: {}, source: 'missing' });
  });
});

test('the collector stores the usage source, shows it per request and counts estimated requests in the cost report', async () => {
  const collector = await startTestCollector();
  try {
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
    for await (const _ of await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })) break;
    await flush();
    // the SDK's own events, as sent one by one (POST /api/v1/ingest)
    // (attribution travels in the xProxy-* headers on single ingest)
    for (const e of capture.events) expect((await call(collector.url, 'POST', '/api/v1/ingest', e, { 'xProxy-UseCase-Name': 'usage_source' })).status).toBe(200);
    const rows = collector.db.prepare('SELECT request_id, usage_source, input_tokens FROM events ORDER BY id').all() as { request_id: string; usage_source: string; input_tokens: number }[];
    expect(rows.map((r) => r.usage_source)).toEqual(['reported', 'estimated']);
    const shown = await call(collector.url, 'GET', `/api/v1/dashboard/requests/${rows[1]!.request_id}`);
    expect(shown.body).toMatchObject({ usage_source: 'estimated', properties: { 'system.usage_source': 'estimated' } });
    const report = await call(collector.url, 'GET', '/api/v1/reports/cost?by=use_case');
    expect(report.body).toEqual([expect.objectContaining({ key: 'usage_source', requests: 2, estimated_requests: 1 })]);
    expect(rows[1]!.input_tokens).toBeGreaterThan(0);
  } finally {
    await collector.close();
  }
});
