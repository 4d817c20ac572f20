import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { generateText, streamText } from 'ai';
import pino from 'pino';
import { geminiRoute } from '../../samples/standin/gemini';
import { startStandin, type Standin } from '../../samples/standin/server';
import { flush, payiInstrument, shutdown } from '../../src/instrument';
import { CaptureClient } from '../support/capture-client';

let standin: Standin;
let capture: CaptureClient;
beforeEach(async () => {
  standin = await startStandin([geminiRoute]);
  capture = new CaptureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: 'google_ai_sdk', ingest: { flushIntervalMs: 5, spillFile: false } });
});
afterEach(async () => {
  await shutdown();
  await standin.close();
});

test('@ai-sdk/google generateText: system.google.vertex, resource google.<model>, Gemini units from the raw usage metadata', async () => {
  const google = createGoogleGenerativeAI({ apiKey: 'k', baseURL: `${standin.url}/v1beta` });
  const result = await generateText({ model: google('gemini-2.5-flash'), prompt: 'Hello there, how are you today?' });
  await flush();
  const raw = (result.usage as { raw?: { promptTokenCount: number; candidatesTokenCount: number } }).raw!;
  expect(capture.events).toEqual([
    {
      category: 'system.google.vertex',
      resource: 'google.gemini-2.5-flash',
      units: { text: { input: raw.promptTokenCount, output: raw.candidatesTokenCount } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      properties: { 'system.usage_source': 'reported' },
      provider_response_id: result.response.id,
      provider_request_json: expect.stringContaining('"contents"'),
      provider_response_json: expect.stringContaining('"usageMetadata"'),
      provider_response_headers: expect.any(Array),
      use_case_name: 'google_ai_sdk',
      use_case_id: expect.any(String),
    },
  ]);
  expect(raw.promptTokenCount).toBeGreaterThan(0);
});

test('@ai-sdk/google streamText: one event, stream_outcome completed, time to first chunk', async () => {
  const google = createGoogleGenerativeAI({ apiKey: 'k', baseURL: `${standin.url}/v1beta` });
  const s = streamText({ model: google('gemini-2.5-flash'), prompt: 'Hello there' });
  const text = await s.text;
  await flush();
  expect(capture.events).toEqual([
    expect.objectContaining({ category: 'system.google.vertex', resource: 'google.gemini-2.5-flash', http_status_code: 200, time_to_first_token_ms: expect.any(Number), properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' } }),
  ]);
  expect(capture.events[0]?.units.text?.output).toBeGreaterThan(0);
  expect(text).toBe('Stand-in reply: Hello there');
});
