import pino from 'pino';
import { payiInstrument, shutdown } from '../../../src/instrument';
import { standinTokens } from '../../../samples/standin/anthropic';
import { responseHeaderPairs, timing, sameButIds, anthropicHarness } from './support';

const h = anthropicHarness();

const MODEL = 'claude-opus-4-6';
const question = 'What is the capital of France?';
const body = { model: MODEL, max_tokens: 256, messages: [{ role: 'user' as const, content: question }] };

test('messages.create returns the same message as without instrumentation, and one event describes it', async () => {
  const { data: message, response, request_id } = await h.makeClient().messages.create(body).withResponse();
  await shutdown();
  const raw = await h.makeClient().messages.create(body);
  expect(sameButIds(message)).toEqual(sameButIds(raw));
  expect(request_id).toMatch(/^req_standin_/);
  expect(message.usage.input_tokens).toBe(standinTokens(question));
  expect(h.capture.events).toEqual([
    {
      category: 'system.anthropic',
      resource: MODEL,
      units: { text: { input: standinTokens(question), output: message.usage.output_tokens } },
      ...timing,
      http_status_code: 200,
      provider_response_id: message.id,
      provider_uri: h.standin.url,
      properties: { 'system.usage_source': 'reported' },
      provider_request_json: JSON.stringify(body),
      provider_response_json: JSON.stringify(message),
      provider_response_headers: responseHeaderPairs(response.headers),
    },
  ]);
});

test('a client created before payiInstrument() is instrumented too, and nothing is recorded after shutdown()', async () => {
  await shutdown();
  const early = h.makeClient();
  payiInstrument({ payi: h.capture, logger: pino({ level: 'silent' }), useCaseName: null });
  await early.messages.create(body);
  await shutdown();
  await early.messages.create(body);
  expect(h.capture.events).toHaveLength(1);
});

test('tool_use blocks become provider_response_function_calls with the input as JSON', async () => {
  const tools = [
    { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' }, days: { type: 'integer' } } } },
  ];
  const message = await h.makeClient().messages.create({ ...body, tools });
  await shutdown();
  expect(message.stop_reason).toBe('tool_use');
  expect(message.content[1]).toEqual({ type: 'tool_use', id: expect.any(String), name: 'get_weather', input: { city: question, days: 42 } });
  expect(h.capture.events[0].provider_response_function_calls).toEqual([{ name: 'get_weather', arguments: JSON.stringify({ city: question, days: 42 }) }]);
});

test('prompt caching: cache writes by TTL on the first call, a cache read on the second', async () => {
  const system = [
    { type: 'text' as const, text: 'a'.repeat(400), cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } },
    { type: 'text' as const, text: 'b'.repeat(800), cache_control: { type: 'ephemeral' as const } },
  ];
  const first = await h.makeClient().messages.create({ ...body, system });
  const second = await h.makeClient().messages.create({ ...body, system });
  await shutdown();
  expect(first.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 });
  expect(second.usage.cache_read_input_tokens).toBe(300);
  const input = standinTokens(question);
  expect(h.capture.events.map((e) => e.units)).toEqual([
    { text: { input, output: first.usage.output_tokens }, text_cache_write: { input: 200 }, text_cache_write_1h: { input: 100 } },
    { text: { input, output: second.usage.output_tokens }, text_cache_read: { input: 300 } },
  ]);
});

test('200,000 input tokens or more put _large_context on every input unit', async () => {
  const big = 'x'.repeat(4 * 200_000);
  const message = await h.makeClient().messages.create({ ...body, messages: [{ role: 'user', content: big }] });
  await shutdown();
  expect(message.usage.input_tokens).toBe(200_000);
  expect(h.capture.events[0].units).toEqual({ text_large_context: { input: 200_000, output: message.usage.output_tokens } });
});

test('web search requests are counted as web_search_request.output', async () => {
  const message = await h.makeClient().messages.create({ ...body, tools: [{ type: 'web_search_20250305', name: 'web_search' }] });
  await shutdown();
  expect(message.usage.server_tool_use?.web_search_requests).toBe(1);
  expect(h.capture.events[0].units).toEqual({ text: { input: message.usage.input_tokens, output: message.usage.output_tokens }, web_search_request: { output: 1 } });
  expect(h.capture.events[0].provider_response_function_calls).toBeUndefined();
});

test('messages.parse() is recorded once', async () => {
  const parsed = await h.makeClient().messages.parse(body);
  await shutdown();
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0].provider_response_id).toBe(parsed.id);
});

test('beta.messages.create is instrumented as system.anthropic', async () => {
  const message = await h.makeClient().beta.messages.create(body);
  await shutdown();
  expect(h.capture.events).toEqual([expect.objectContaining({ category: 'system.anthropic', resource: MODEL, provider_response_id: message.id, units: { text: { input: message.usage.input_tokens, output: message.usage.output_tokens } } })]);
});

test('.asResponse() keeps the raw Response readable and the call is still recorded', async () => {
  const response = await h.makeClient().messages.create(body).asResponse();
  const json = (await response.json()) as { id: string; usage: { input_tokens: number; output_tokens: number } };
  await shutdown();
  expect(h.capture.events).toEqual([expect.objectContaining({ provider_response_id: json.id, http_status_code: 200, units: { text: { input: json.usage.input_tokens, output: json.usage.output_tokens } } })]);
});

test('with logPromptAndResponse: false the event carries no prompt or response', async () => {
  await shutdown();
  payiInstrument({ payi: h.capture, logger: pino({ level: 'silent' }), useCaseName: null, logPromptAndResponse: false });
  await h.makeClient().messages.create(body);
  await shutdown();
  expect(h.capture.events[0]).not.toHaveProperty('provider_request_json');
  expect(h.capture.events[0]).not.toHaveProperty('provider_response_json');
});

test('the logged answer is the JSON the provider sent, as it came; a body that does not parse fails as without instrumentation', async () => {
  const pretty = { headers: { 'x-standin-scenario': 'pretty' } };
  const invalid = { headers: { 'x-standin-scenario': 'invalid-json' } };
  const { data: message, response } = await h.makeClient().messages.create(body, pretty).withResponse();
  const broken = await h.makeClient().messages.create(body, invalid).then(() => undefined, (err: unknown) => err);
  await shutdown();
  const rawBroken = await h.makeClient().messages.create(body, invalid).then(() => undefined, (err: unknown) => err);
  const [ok, failed] = h.capture.events;
  expect(ok!.provider_response_json).toContain('\n  "id": ');
  expect(JSON.parse(ok!.provider_response_json!)).toEqual(JSON.parse(JSON.stringify(message)));
  expect(Object.getOwnPropertyNames(response)).toEqual([]);
  // (by name: jest runs the test in a realm of its own, the SDK's fetch in Node's)
  expect([(broken as Error).name, (broken as Error).message]).toEqual([(rawBroken as Error).name, (rawBroken as Error).message]);
  expect(failed).not.toHaveProperty('provider_response_json');
  expect(failed!.properties).toMatchObject({ 'system.failure': expect.any(String) });
});
