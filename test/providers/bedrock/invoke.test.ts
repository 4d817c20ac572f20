import { InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { flush } from '../../../src/instrument';
import { anyTiming, chunkBodies, CLAUDE, collect, normalise, NOVA, UUID, bedrockHarness } from './support';

const h = bedrockHarness();

/** The request body of each family for the prompt "Say hello to the user" (21 characters: 6 tokens at the stand-in). */
const bodies: Record<string, object> = {
  [CLAUDE]: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 200, messages: [{ role: 'user', content: 'Say hello to the user' }] },
  [NOVA]: { schemaVersion: 'messages-v1', messages: [{ role: 'user', content: [{ text: 'Say hello to the user' }] }], inferenceConfig: { maxTokens: 200 } },
};
const invoke = (modelId: string, body: object = bodies[modelId]!): InvokeModelCommand =>
  new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) });
const invokeStream = (modelId: string, body: object = bodies[modelId]!): InvokeModelWithResponseStreamCommand =>
  new InvokeModelWithResponseStreamCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) });

describe.each([CLAUDE, NOVA])('InvokeModel with %s', (modelId) => {
  test('the caller gets the same body object, still readable, and the event has the family usage', async () => {
    const raw = await h.client.send(invoke(modelId));
    h.instrument();
    const out = await h.client.send(invoke(modelId));
    await flush();

    expect(out.body.constructor).toBe(raw.body.constructor);
    expect(normalise(JSON.parse(out.body.transformToString()))).toEqual(normalise(JSON.parse(raw.body.transformToString())));
    expect(normalise({ ...out, body: undefined })).toEqual(normalise({ ...raw, body: undefined }));
    const text = out.body.transformToString();
    const responseId = modelId === CLAUDE ? (JSON.parse(text) as { id: string }).id : out.$metadata.requestId;
    expect(h.capture.events).toEqual([
      {
        category: 'system.aws.bedrock',
        resource: modelId,
        units: { text: { input: 6, output: 5 } },
        ...anyTiming,
        http_status_code: 200,
        provider_response_id: responseId,
        provider_uri: h.standin.url,
        properties: { 'system.usage_source': 'reported' },
        provider_request_json: JSON.stringify(bodies[modelId]),
        provider_response_json: text,
        provider_response_headers: expect.arrayContaining([
          { name: 'x-amzn-requestid', value: out.$metadata.requestId },
          { name: 'x-amzn-bedrock-input-token-count', value: '6' },
        ]),
        use_case_name: 'bedrock_tests',
        use_case_id: expect.stringMatching(UUID),
      },
    ]);
  });

  test('InvokeModelWithResponseStream passes every chunk through in order and records usage at the end', async () => {
    const rawEvents = await collect((await h.client.send(invokeStream(modelId))).body);
    h.instrument();
    const out = await h.client.send(invokeStream(modelId));
    const events = await collect(out.body);
    await flush();

    expect(normalise(events)).toEqual(normalise(rawEvents));
    expect(events.every((e) => e.chunk?.bytes instanceof Uint8Array)).toBe(true);
    const chunks = chunkBodies(events);
    const responseId = modelId === CLAUDE ? (chunks[0] as { message: { id: string } }).message.id : out.$metadata.requestId;
    expect(h.capture.events).toEqual([
      {
        category: 'system.aws.bedrock',
        resource: modelId,
        units: { text: { input: 6, output: 5 } },
        ...anyTiming,
        time_to_first_token_ms: expect.any(Number),
        http_status_code: 200,
        provider_response_id: responseId,
        provider_uri: h.standin.url,
        properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
        provider_request_json: JSON.stringify(bodies[modelId]),
        provider_response_json: JSON.stringify(chunks),
        provider_response_headers: expect.arrayContaining([{ name: 'x-amzn-requestid', value: out.$metadata.requestId }]),
        use_case_name: 'bedrock_tests',
        use_case_id: expect.stringMatching(UUID),
      },
    ]);
  });

  test('stopping an invoke stream early records an abandoned event', async () => {
    h.instrument();
    const out = await h.client.send(invokeStream(modelId));
    for await (const _e of out.body!) break;
    await flush();

    expect(h.capture.events).toHaveLength(1);
    // InvokeModel bodies are the model's own format: Claude's first chunk reports input usage, Nova's none (not estimated)
    expect(h.capture.events[0]!.properties).toEqual({ 'system.stream_outcome': 'abandoned', 'system.usage_source': modelId === CLAUDE ? 'reported' : 'missing' });
  });
});

test('Anthropic invoke bodies: cache fields become cache units and tool_use blocks function calls', async () => {
  h.instrument();
  const body = {
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 200,
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
  };
  await h.client.send(invoke(CLAUDE, body));
  const stream = await h.client.send(invokeStream(CLAUDE, body));
  await collect(stream.body);
  await flush();

  const expected = { text: { input: 7, output: 5 }, text_cache_read: { input: 1024 }, text_cache_write: { input: 256 } };
  expect(h.capture.events.map((e) => e.units)).toEqual([expected, expected]);
  expect(h.capture.events[0]!.provider_response_function_calls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  expect(h.capture.events[1]!.provider_response_function_calls).toEqual([{ name: 'get_weather', arguments: '{"city": "Paris"}' }]);
});

test.each([
  ['meta.llama3-8b-instruct-v1:0', { prompt: 'Say hello to the user', max_gen_len: 100 }, { text: { input: 6, output: 5 } }],
  ['amazon.titan-embed-text-v2:0', { inputText: 'Say hello to the user' }, { text: { input: 6 } }],
  ['openai.gpt-oss-20b-1:0', { messages: [{ role: 'user', content: 'Say hello to the user' }] }, { text: { input: 6, output: 5 } }],
  ['mistral.mistral-7b-instruct-v0:2', { prompt: 'Say hello to the user' }, { text: { input: 6, output: 5 } }],
])('InvokeModel with %s records the usage of that family (or the token-count headers)', async (modelId, body, units) => {
  h.instrument();
  const out = await h.client.send(invoke(modelId, body));
  await flush();

  expect(h.capture.events[0]!.units).toEqual(units);
  if (modelId.startsWith('openai.')) expect(h.capture.events[0]!.provider_response_id).toBe((JSON.parse(out.body.transformToString()) as { id: string }).id);
});

test.each([
  ['meta.llama3-8b-instruct-v1:0', { prompt: 'Say hello to the user' }],
  ['mistral.mistral-7b-instruct-v0:2', { prompt: 'Say hello to the user' }],
])('an invoke stream of %s records amazon-bedrock-invocationMetrics', async (modelId, body) => {
  h.instrument();
  await collect((await h.client.send(invokeStream(modelId, body))).body);
  await flush();

  expect(h.capture.events[0]!.units).toEqual({ text: { input: 6, output: 5 } });
});

test('an Anthropic guardrail intervention on InvokeModel is recorded from the body', async () => {
  h.instrument();
  const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'the forbidden thing' }] };
  await h.client.send(new InvokeModelCommand({ modelId: CLAUDE, body: JSON.stringify(body), guardrailIdentifier: 'gr-9', guardrailVersion: 'DRAFT', trace: 'ENABLED' }));
  await flush();

  expect(h.capture.events[0]!.properties).toEqual({
    'system.usage_source': 'reported',
    'system.aws.bedrock.guardrail.id': 'gr-9',
    'system.aws.bedrock.guardrail.version': 'DRAFT',
    'system.aws.bedrock.guardrail.action': 'INTERVENED',
    'system.failure': 'guardrail_intervened',
    'system.failure.description': 'Bedrock Guardrails intervened',
  });
  expect(h.capture.events[0]!.units).toEqual({ text: { input: 5, output: 5 }, guardrail_topic: { input: 1 }, guardrail_content: { input: 1 } });
});
