import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { embed, embedMany, generateObject, generateText, isStepCount, tool } from 'ai';
import { z } from 'zod';
import { openaiStandinTokens, openaiStandinUsage } from '../../samples/standin/openai';
import { trackContext } from '../../src/context/scope';
import { PayiLimitBlockedError } from '../../src/errors';
import { bodiesTo, globalAttribution, openaiHeaders, sameButIds, startHarness, uninstrumented, visible, type FrameworkHarness } from './helpers';

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
test('generateText (chat model): one event with the raw usage, ids, headers, request and response; the result is unchanged', async () => {
  const result = await generateText({ model: openai.chat('gpt-4o-mini'), prompt });
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
      properties: { 'system.usage_source': 'reported' },
      provider_response_id: result.response.id,
      provider_uri: h.standin.url,
      provider_request_json: JSON.stringify(sent),
      provider_response_json: expect.stringContaining(`{"id":"${result.response.id}"`),
      provider_response_headers: openaiHeaders('req_standin_1'),
      ...globalAttribution,
    },
  ]);
  const raw = await uninstrumented((p) => generateText({ model: p.chat('gpt-4o-mini'), prompt }));
  expect(sameButIds(visible(result))).toEqual(sameButIds(visible(raw)));
  expect(result.text).toBe(u.reply);
});

test('generateText (Responses API, reasoning model, prompt cache): cached input and reasoning tokens from the raw usage', async () => {
  const result = await generateText({ model: openai('gpt-5-mini'), prompt, providerOptions: { openai: { promptCacheKey: 'k1' } } });
  const [sent] = bodiesTo(h.standin, '/v1/responses');
  const u = openaiStandinUsage(sent);
  expect(u.cached).toBeGreaterThan(0);
  expect(u.reasoning).toBeGreaterThan(0);
  const [event] = await h.events();
  expect(event).toEqual({
    category: 'system.openai',
    resource: 'gpt-5-mini',
    units: { text: { input: u.prompt - u.cached, output: u.completion - u.reasoning }, text_cache_read: { input: u.cached }, reasoning: { output: u.reasoning } },
    event_timestamp: expect.any(String),
    end_to_end_latency_ms: expect.any(Number),
    http_status_code: 200,
    properties: { 'system.usage_source': 'reported' },
    provider_response_id: result.response.id,
    provider_request_json: JSON.stringify(sent),
    provider_response_json: expect.stringContaining(`{"id":"${result.response.id}"`),
    provider_response_headers: openaiHeaders('req_standin_1'),
    ...globalAttribution,
  });
});

test('a two-step tool loop: one event per model call, the first with the tool call', async () => {
  const getWeather = tool({ description: 'Weather of a city', inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, forecast: 'sunny' }) });
  const result = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'What is the weather in Paris?', tools: { getWeather }, stopWhen: isStepCount(2) });
  const sent = bodiesTo(h.standin, '/v1/chat/completions');
  expect(sent).toHaveLength(2);
  const [u1, u2] = sent.map((b) => openaiStandinUsage(b));
  const common = { category: 'system.openai', resource: 'gpt-4o-mini', event_timestamp: expect.any(String), end_to_end_latency_ms: expect.any(Number), http_status_code: 200, properties: { 'system.usage_source': 'reported' }, provider_uri: h.standin.url, provider_response_json: expect.any(String), provider_response_headers: expect.any(Array), ...globalAttribution };
  expect(await h.events()).toEqual([
    { ...common, units: { text: { input: u1!.prompt, output: u1!.completion } }, provider_response_id: result.steps[0]!.response.id, provider_request_json: JSON.stringify(sent[0]), provider_response_function_calls: [{ name: 'getWeather', arguments: '{"city":"standin"}' }] },
    { ...common, units: { text: { input: u2!.prompt, output: u2!.completion } }, provider_response_id: result.steps[1]!.response.id, provider_request_json: JSON.stringify(sent[1]) },
  ]);
  expect(result.steps).toHaveLength(2);
  expect(result.text).toBe(u2!.reply);
});

test('generateObject: one event with the structured call usage', async () => {
  const result = await generateObject({ model: openai.chat('gpt-4o-mini'), schema: z.object({ city: z.string() }), prompt: 'Name a city' });
  const [sent] = bodiesTo(h.standin, '/v1/chat/completions');
  const u = openaiStandinUsage(sent);
  expect(result.object).toEqual({ city: 'standin' });
  expect(await h.events()).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: { text: { input: u.prompt, output: u.completion } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      properties: { 'system.usage_source': 'reported' },
      provider_response_id: result.response.id,
      provider_response_headers: openaiHeaders('req_standin_1'),
      ...globalAttribution,
    },
  ]);
});

test('embed: one event per embedding call, text input units', async () => {
  const result = await embed({ model: openai.embedding('text-embedding-3-small'), value: 'sunny day at the beach' });
  expect(await h.events()).toEqual([
    {
      category: 'system.openai',
      resource: 'text-embedding-3-small',
      units: { text: { input: openaiStandinTokens('sunny day at the beach'), output: 0 } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      properties: { 'system.usage_source': 'reported' },
      provider_response_id: expect.stringMatching(/^payi_/),
      ...globalAttribution,
    },
  ]);
  expect(result.embedding).toHaveLength(8);
});

test('Anthropic through the AI SDK: category system.anthropic and the Anthropic units of the raw usage', async () => {
  const anthropic = createAnthropic({ apiKey: 'test-key', baseURL: `${h.standin.url}/v1` });
  const result = await generateText({ model: anthropic('claude-sonnet-4-5'), prompt });
  const [event] = await h.events();
  const raw = (result.usage as { raw?: { input_tokens: number; output_tokens: number } }).raw!;
  expect(event).toEqual({
    category: 'system.anthropic',
    resource: 'claude-sonnet-4-5',
    units: { text: { input: raw.input_tokens, output: raw.output_tokens } },
    event_timestamp: expect.any(String),
    end_to_end_latency_ms: expect.any(Number),
    http_status_code: 200,
    properties: { 'system.usage_source': 'reported' },
    provider_response_id: result.response.id,
    provider_request_json: expect.stringContaining('"model":"claude-sonnet-4-5"'),
    provider_response_json: expect.stringContaining(`{"id":"${result.response.id}"`),
    provider_response_headers: expect.arrayContaining([{ name: 'request-id', value: expect.stringMatching(/^req_standin_/) }]),
    ...globalAttribution,
  });
  expect(raw.input_tokens).toBeGreaterThan(0);
});

test('a provider error reaches the caller unchanged and is recorded with its status', async () => {
  const call = generateText({ model: openai.chat('gpt-4o-mini'), prompt, maxRetries: 0, headers: { 'x-standin-scenario': 'error-429' } });
  const err = await call.catch((e: unknown) => e);
  const rawErr = await uninstrumented((p) => generateText({ model: p.chat('gpt-4o-mini'), prompt, maxRetries: 0, headers: { 'x-standin-scenario': 'error-429' } }).catch((e: unknown) => e));
  expect((err as Error).constructor).toBe((rawErr as Error).constructor);
  expect((err as { statusCode?: number }).statusCode).toBe(429);
  const [event] = await h.events();
  expect(event).toMatchObject({ category: 'system.openai', resource: 'gpt-4o-mini', http_status_code: 429, units: {}, provider_response_id: 'req_standin_1' });
});

test('attribution: the enclosing trackContext scope, like a direct SDK call', async () => {
  await trackContext({ userId: 'u-42', useCaseName: 'summaries', requestProperties: { team: 'a' } }, () => generateText({ model: openai.chat('gpt-4o-mini'), prompt }));
  const [event] = await h.events();
  expect(event).toMatchObject({ user_id: 'u-42', use_case_name: 'summaries', properties: { team: 'a' } });
});

test('enforceLimits: an AI SDK call over a blocked limit is refused with PayiLimitBlockedError before it reaches the provider', async () => {
  await h.close();
  h = await startHarness({ enforceLimits: true, limitIds: ['daily'], ingest: { flushIntervalMs: 5, spillFile: false, limitRefreshMs: 0 } });
  openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.standin.url}/v1` });
  await generateText({ model: openai.chat('gpt-4o-mini'), prompt });
  await h.events();
  h.capture.limitStates = { daily: { state: 'blocked' } };
  await generateText({ model: openai.chat('gpt-4o-mini'), prompt });
  await h.events();
  const err = await generateText({ model: openai.chat('gpt-4o-mini'), prompt, maxRetries: 0 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PayiLimitBlockedError);
  expect(h.standin.requests).toHaveLength(2);
});

test('embedMany: one event per embedding call the AI SDK makes (values batched into one request)', async () => {
  const values = ['sunny day', 'rainy night at sea'];
  const result = await embedMany({ model: openai.embedding('text-embedding-3-small'), values });
  expect(result.embeddings).toHaveLength(2);
  expect(h.standin.requests).toHaveLength(1);
  expect((await h.events()).map((e) => [e.category, e.resource, e.units])).toEqual([['system.openai', 'text-embedding-3-small', { text: { input: values.reduce((n, v) => n + openaiStandinTokens(v), 0), output: 0 } }]]);
});
