import { trackContext } from '../../../src/context/scope';
import { createHeaders } from '../../../src/headers/create-headers';
import { openaiStandinTokens, openaiStandinUsage } from '../../../samples/standin/openai';
import { azureClient, globalAttribution, standinHeaders, startHarness, type OpenAIHarness } from './helpers';

let h: OpenAIHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const tools = [{ type: 'function' as const, name: 'get_weather', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } } } }];

test('responses.create: the whole event, with function_call items as function calls', async () => {
  const body = { model: 'o4-mini', input: 'What is the weather in Paris?', instructions: 'Be brief.', tools };
  const { data: response, request_id } = await h.client.responses.create(body).withResponse();
  const u = openaiStandinUsage(body);
  expect(response.output.find((o) => o.type === 'function_call')).toMatchObject({ name: 'get_weather', arguments: '{"city":"standin"}' });
  // The service's JSON as it came: `output_text` is the SDK's own addition to what the caller gets.
  const { output_text: added, ...sent } = response;
  expect(added).toBe('');
  expect(await h.events()).toEqual([
    {
      category: 'system.openai',
      resource: 'o4-mini',
      units: { text: { input: u.prompt, output: u.completion - u.reasoning }, reasoning: { output: u.reasoning } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: response.id,
      provider_uri: `${h.standin.url}/v1/responses`,
      properties: { 'system.usage_source': 'reported' },
      provider_request_json: JSON.stringify(body),
      provider_response_json: JSON.stringify(sent),
      provider_response_headers: standinHeaders(request_id!),
      provider_response_function_calls: [{ name: 'get_weather', arguments: '{"city":"standin"}' }],
      ...globalAttribution,
    },
  ]);
});

test('responses.create streamed: events pass through and the event has the usage of response.completed', async () => {
  const body = { model: 'gpt-4o', input: 'Say hello to the world please', stream: true as const };
  const types: string[] = [];
  let text = '';
  for await (const e of await h.client.responses.create(body)) {
    types.push(e.type);
    if (e.type === 'response.output_text.delta') text += e.delta;
  }
  const u = openaiStandinUsage(body);
  expect(text).toBe(u.reply);
  expect(types[0]).toBe('response.created');
  expect(types.at(-1)).toBe('response.completed');
  const events = await h.events();
  expect(events).toEqual([
    expect.objectContaining({
      resource: 'gpt-4o',
      units: { text: { input: u.prompt, output: u.completion } },
      time_to_first_token_ms: expect.any(Number),
      properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
      provider_response_id: expect.stringMatching(/^resp_standin_/),
    }),
  ]);
  expect(h.standin.requests[0]?.json).toEqual(body);
});

test('responses.stream() helper: finalResponse() works and the call is recorded once', async () => {
  const body = { model: 'gpt-4o', input: 'Weather in Oslo?', tools };
  const final = await h.client.responses.stream(body).finalResponse();
  const events = await h.events();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ provider_response_id: final.id, provider_response_function_calls: [{ name: 'get_weather', arguments: '{"city":"standin"}' }] });
});

test('embeddings.create: text.input from prompt_tokens, the SDK still decodes base64 for the caller', async () => {
  const input = ['first text to embed', 'second one'];
  const res = await h.client.embeddings.create({ model: 'text-embedding-3-small', input });
  expect(res.data).toHaveLength(2);
  expect(Array.isArray(res.data[0]?.embedding)).toBe(true);
  const [event] = await h.events();
  expect(event).toEqual({
    category: 'system.openai',
    resource: 'text-embedding-3-small',
    units: { text: { input: input.reduce((n, t) => n + openaiStandinTokens(t), 0), output: 0 } },
    event_timestamp: expect.any(String),
    end_to_end_latency_ms: expect.any(Number),
    http_status_code: 200,
    provider_response_id: res._request_id,
    provider_uri: `${h.standin.url}/v1/embeddings`,
    properties: { 'system.usage_source': 'reported' },
    provider_request_json: JSON.stringify({ model: 'text-embedding-3-small', input }),
    provider_response_json: JSON.stringify(res),
    provider_response_headers: standinHeaders(res._request_id!),
    ...globalAttribution,
  });
});

test('AzureOpenAI with a deployment that is not a model name: category system.azureopenai, resource = the model the response names', async () => {
  const azure = azureClient(h.standin, 'my-gpt4o');
  const messages = [{ role: 'user' as const, content: 'Hello Azure' }];
  const completion = await azure.chat.completions.create({ messages } as never as { model: string; messages: typeof messages });
  const u = openaiStandinUsage({ model: 'my-gpt4o', messages });
  expect(completion.model).toBe('gpt-4o-2024-08-06');
  expect(h.standin.requests[0]?.url).toBe('/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21');
  expect(h.standin.requests[0]?.headers['api-key']).toBe('azure-key');
  expect(await h.events()).toEqual([
    {
      category: 'system.azureopenai',
      resource: completion.model,
      units: { text: { input: u.prompt, output: u.completion } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: completion.id,
      provider_uri: `${h.standin.url}/openai/deployments/my-gpt4o/chat/completions`,
      properties: { 'system.usage_source': 'reported' },
      provider_request_json: JSON.stringify({ messages }),
      provider_response_json: JSON.stringify(completion),
      provider_response_headers: standinHeaders(completion._request_id!, { 'x-ms-deployment-name': 'my-gpt4o' }),
      ...globalAttribution,
    },
  ]);
});

test('AzureOpenAI without a deployment: the model names the deployment in the URL; the resource is the served model unless the deployment is named after one', async () => {
  const azure = azureClient(h.standin);
  const prod = await azure.chat.completions.create({ model: 'prod-4o', messages: [{ role: 'user', content: 'hi' }] });
  await azure.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const stream = await azure.chat.completions.create({ model: 'prod-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  for await (const _ of stream) void _;
  const events = await h.events();
  expect(prod.model).toBe('gpt-4o-2024-08-06');
  expect(events.map((e) => [e.category, e.resource, e.provider_uri])).toEqual([
    ['system.azureopenai', 'gpt-4o-2024-08-06', `${h.standin.url}/openai/deployments/prod-4o/chat/completions`],
    ['system.azureopenai', 'gpt-4o-mini', `${h.standin.url}/openai/deployments/gpt-4o-mini/chat/completions`],
    ['system.azureopenai', 'gpt-4o-2024-08-06', `${h.standin.url}/openai/deployments/prod-4o/chat/completions`],
  ]);
});

test('attribution comes from the enclosing scope; per-call createHeaders() beats it and never reaches the provider', async () => {
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
  await trackContext({ useCaseName: 'support_chat', userId: 'scope-user', limitIds: ['lim-a'], requestProperties: { team: 'blue' } }, async () => {
    await h.client.chat.completions.create(body);
    await h.client.chat.completions.create(body, { headers: { ...createHeaders({ userId: 'call-user', limitIds: ['lim-b'] }), 'x-custom': 'kept' } });
  });
  const [a, b] = await h.events();
  expect(a).toMatchObject({ use_case_name: 'support_chat', user_id: 'scope-user', limit_ids: ['lim-a'], properties: { team: 'blue' } });
  expect(a?.use_case_id).toEqual(expect.any(String));
  expect(b).toMatchObject({ use_case_name: 'support_chat', use_case_id: a?.use_case_id, user_id: 'call-user', limit_ids: ['lim-b'], provider_request_headers: [{ name: 'x-custom', value: 'kept' }] });
  for (const req of h.standin.requests) expect(Object.keys(req.headers).filter((k) => k.startsWith('xproxy-'))).toEqual([]);
  expect(h.standin.requests[1]?.headers['x-custom']).toBe('kept');
});

test('inline mode: the service result is on the response the caller gets, as xproxy_result', async () => {
  await h.close();
  h = await startHarness({ ingest: { mode: 'inline' } });
  const completion = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  expect((completion as unknown as { xproxy_result?: unknown }).xproxy_result).toEqual({ request_id: 'capture_1', cost: { currency: 'usd', total: { base: 0.001 } } });
  expect(h.capture.inline).toHaveLength(1);
  expect(JSON.parse(JSON.stringify(completion))).not.toHaveProperty('xproxy_result');
});
