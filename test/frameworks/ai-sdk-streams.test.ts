import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { streamObject, streamText } from 'ai';
import { z } from 'zod';
import { openaiStandinUsage } from '../../samples/standin/openai';
import { bodiesTo, globalAttribution, openaiHeaders, startHarness, uninstrumented, type FrameworkHarness } from './helpers';

let h: FrameworkHarness;
let openai: ReturnType<typeof createOpenAI>;
beforeEach(async () => {
  h = await startHarness();
  openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.standin.url}/v1` });
});
afterEach(async () => {
  await h.close();
});

const prompt = 'Hello there, how are you today?';
test('streamText read to the end: time to first chunk, stream_outcome completed; the caller gets the same text', async () => {
  const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt });
  const chunks: string[] = [];
  for await (const t of result.textStream) chunks.push(t);
  const [sent] = bodiesTo(h.standin, '/v1/chat/completions');
  const u = openaiStandinUsage(sent);
  expect(await h.events()).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: { text: { input: u.prompt, output: u.completion } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      time_to_first_token_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: (await result.response).id,
      provider_uri: h.standin.url,
      provider_request_json: JSON.stringify(sent),
      provider_response_headers: openaiHeaders('req_standin_1', { 'cache-control': 'no-cache' }),
      properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
      ...globalAttribution,
    },
  ]);
  const rawChunks = await uninstrumented(async (p) => {
    const out: string[] = [];
    for await (const t of streamText({ model: p.chat('gpt-4o-mini'), prompt }).textStream) out.push(t);
    return out;
  });
  expect(chunks).toEqual(rawChunks);
  expect(chunks.join('')).toBe(u.reply);
});

test('streamText abandoned by the caller (abort after the first chunk): one event, stream_outcome abandoned', async () => {
  const abort = new AbortController();
  const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt, abortSignal: abort.signal, headers: { 'x-standin-scenario': 'slow' } });
  const chunks: string[] = [];
  try {
    for await (const t of result.textStream) {
      chunks.push(t);
      abort.abort();
    }
  } catch {
    /* the AI SDK may surface the abort */
  }
  const events = await h.events();
  expect(events).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: {},
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      time_to_first_token_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: expect.stringMatching(/^chatcmpl-standin-/),
      provider_uri: h.standin.url,
      provider_request_json: expect.any(String),
      provider_response_headers: openaiHeaders('req_standin_1', { 'cache-control': 'no-cache' }),
      properties: { 'system.stream_outcome': 'abandoned', 'system.usage_source': 'missing' },
      ...globalAttribution,
    },
  ]);
  expect(chunks.length).toBeGreaterThan(0);
});

test('a stream the connection breaks: one event, stream_outcome failed, and the caller sees the error as without this SDK', async () => {
  const run = async (p: ReturnType<typeof createOpenAI>): Promise<{ chunks: string[]; error: unknown }> => {
    const chunks: string[] = [];
    let error: unknown;
    const s = streamText({ model: p.chat('gpt-4o-mini'), prompt, maxRetries: 0, headers: { 'x-standin-scenario': 'drop-stream' }, onError: () => undefined });
    try {
      for await (const t of s.textStream) chunks.push(t);
    } catch (e) {
      error = e;
    }
    return { chunks, error };
  };
  const seen = await run(openai);
  const raw = await uninstrumented(run);
  expect(seen.chunks).toEqual(raw.chunks);
  expect((seen.error as Error)?.constructor).toBe((raw.error as Error)?.constructor);
  const events = await h.events();
  expect(events).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: {},
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      time_to_first_token_ms: expect.any(Number),
      http_status_code: 299,
      provider_response_id: expect.stringMatching(/^chatcmpl-standin-/),
      provider_uri: h.standin.url,
      provider_request_json: expect.any(String),
      provider_response_headers: openaiHeaders('req_standin_1', { 'cache-control': 'no-cache' }),
      properties: { 'system.failure': (seen.error as Error).constructor.name, 'system.failure.description': (seen.error as Error).message, 'system.stream_outcome': 'failed', 'system.usage_source': 'missing' },
      ...globalAttribution,
    },
  ]);
});

test('Anthropic streamText through the AI SDK: one event with the streamed usage', async () => {
  const anthropic = createAnthropic({ apiKey: 'test-key', baseURL: `${h.standin.url}/v1` });
  const s = streamText({ model: anthropic('claude-sonnet-4-5'), prompt });
  const text = await s.text;
  const raw = ((await s.usage) as { raw?: { input_tokens: number; output_tokens: number } }).raw;
  const [event] = await h.events();
  expect(event).toMatchObject({ category: 'system.anthropic', resource: 'claude-sonnet-4-5', http_status_code: 200, properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' }, provider_response_id: (await s.response).id });
  expect(event?.units.text?.output).toBeGreaterThan(0);
  expect(event?.units.text?.input).toBe(raw?.input_tokens ?? (await s.usage).inputTokens);
  expect(text).toBe('Stand-in reply: Hello there, how are you today?');
});

test('streamObject: one event when the object stream completes, stream_outcome completed', async () => {
  const o = streamObject({ model: openai.chat('gpt-4o-mini'), schema: z.object({ city: z.string() }), prompt: 'Name a city' });
  const partials: unknown[] = [];
  for await (const p of o.partialObjectStream) partials.push(p);
  expect(await o.object).toEqual({ city: 'standin' });
  const [sent] = bodiesTo(h.standin, '/v1/chat/completions');
  const u = openaiStandinUsage(sent);
  expect(await h.events()).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: { text: { input: u.prompt, output: u.completion } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: (await o.response).id,
      provider_response_headers: openaiHeaders('req_standin_1', { 'cache-control': 'no-cache' }),
      properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
      ...globalAttribution,
    },
  ]);
  expect(partials.at(-1)).toEqual({ city: 'standin' });
});
