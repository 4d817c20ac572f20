import { promisesAreCheap } from '../../../src/internal/runtime';
import { openaiStandinUsage } from '../../../samples/standin/openai';
import { globalAttribution, standinHeaders, startHarness, type OpenAIHarness } from './helpers';

let h: OpenAIHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello there, how are you today?' }] };

test('chat.completions.create: one event with units, ids, headers, prompt and response', async () => {
  const completion = await h.client.chat.completions.create(body);
  const u = openaiStandinUsage(body);
  const events = await h.events();
  expect(events).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: { text: { input: u.prompt, output: u.completion } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: completion.id,
      provider_uri: `${h.standin.url}/v1/chat/completions`,
      properties: { 'system.usage_source': 'reported' },
      provider_request_json: JSON.stringify(body),
      provider_response_json: JSON.stringify(completion),
      provider_response_headers: standinHeaders(completion._request_id!),
      ...globalAttribution,
    },
  ]);
  expect(completion.choices[0]?.message.content).toBe(u.reply);
});

test('cached and reasoning tokens become text_cache_read and reasoning units', async () => {
  const b = { ...body, model: 'o3-mini', prompt_cache_key: 'k1' };
  await h.client.chat.completions.create(b);
  const u = openaiStandinUsage(b);
  const [event] = await h.events();
  expect(u.cached).toBeGreaterThan(0);
  expect(event?.units).toEqual({
    text: { input: u.prompt - u.cached, output: u.completion - u.reasoning },
    text_cache_read: { input: u.cached },
    reasoning: { output: u.reasoning },
  });
});

test('tool calls are recorded as provider_response_function_calls', async () => {
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const completion = await h.client.chat.completions.create({ ...body, tools });
  const [event] = await h.events();
  expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"standin"}' } });
  expect(event?.provider_response_function_calls).toEqual([{ name: 'get_weather', arguments: '{"city":"standin"}' }]);
});

test('streamed chat: the caller gets the same chunks as the raw SDK, without the usage chunk it did not ask for', async () => {
  const { data: stream, request_id } = await h.client.chat.completions.create({ ...body, stream: true }).withResponse();
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  const u = openaiStandinUsage(body);
  expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(u.reply);
  expect(chunks.some((c) => 'usage' in c)).toBe(false);
  const received = h.standin.requests[0]?.json as { stream_options?: unknown };
  expect(received.stream_options).toEqual({ include_usage: true });
  const events = await h.events();
  expect(events).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: { text: { input: u.prompt, output: u.completion } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      time_to_first_token_ms: expect.any(Number),
      // the first chunk carries only the role; content comes later: sent as its own figure
      time_to_first_completion_token_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: chunks[0]?.id,
      provider_uri: `${h.standin.url}/v1/chat/completions`,
      properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
      provider_request_json: JSON.stringify({ ...body, stream: true }),
      provider_response_json: expect.any(String),
      provider_response_headers: standinHeaders(request_id!, { 'cache-control': 'no-cache' }),
      ...globalAttribution,
    },
  ]);
  expect(events[0]!.time_to_first_completion_token_ms!).toBeGreaterThanOrEqual(events[0]!.time_to_first_token_ms!);
  // the response: every chunk, then the usage chunk the caller did not ask for. Where an extra
  // promise per body chunk is cheap (Node >= 24), as the API sent them (read from the stream's
  // bytes: with the usage: null the caller does not see); elsewhere the chunks the caller saw.
  const logged = JSON.parse(events[0]!.provider_response_json!) as unknown[];
  const usageChunk = { ...chunks[0], choices: [], usage: expect.objectContaining({ prompt_tokens: u.prompt, completion_tokens: u.completion }) };
  if (promisesAreCheap()) expect(logged).toEqual([...chunks.map((c) => ({ ...c, usage: null })), usageChunk]);
  else expect(logged).toEqual([...chunks, usageChunk]);
});
