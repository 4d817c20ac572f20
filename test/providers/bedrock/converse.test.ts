import { ConverseCommand, ConverseStreamCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { trackContext } from '../../../src/context/scope';
import { flush } from '../../../src/instrument';
import { anyTiming, CLAUDE, collect, lastRequestBody, normalise, NOVA, UUID, bedrockHarness } from './support';

const h = bedrockHarness();
const hello = (modelId: string, extra: Partial<ConverseCommandInput> = {}): ConverseCommandInput => ({
  modelId,
  messages: [{ role: 'user', content: [{ text: 'Say hello to the user' }] }],
  ...extra,
});

describe.each([CLAUDE, NOVA])('Converse with %s', (modelId) => {
  test('returns what the raw client returns and records one event with the usage, request id and wire prompt', async () => {
    const raw = await h.client.send(new ConverseCommand(hello(modelId)));
    h.instrument();
    const out = await h.client.send(new ConverseCommand(hello(modelId)));
    const sent = lastRequestBody(h.standin);
    await flush();

    expect(normalise(out)).toEqual(normalise(raw));
    expect(h.capture.events).toHaveLength(1);
    const event = h.capture.events[0]!;
    expect(event).toEqual({
      category: 'system.aws.bedrock',
      resource: modelId,
      units: { text: { input: 6, output: 5 } },
      ...anyTiming,
      http_status_code: 200,
      provider_response_id: out.$metadata.requestId,
      provider_uri: h.standin.url,
      properties: { 'system.usage_source': 'reported' },
      provider_request_json: sent,
      provider_response_json: expect.any(String),
      provider_response_headers: expect.arrayContaining([{ name: 'x-amzn-requestid', value: out.$metadata.requestId }]),
      use_case_name: 'bedrock_tests',
      use_case_id: expect.stringMatching(UUID),
    });
    const { $metadata: _m, ...body } = out;
    expect(JSON.parse(event.provider_response_json!)).toEqual(JSON.parse(JSON.stringify(body)));
    expect(event.provider_response_headers!.map((h) => h.name)).not.toContain('content-type');
  });

  test('ConverseStream passes every event through in order and records usage when the stream ends', async () => {
    const rawOut = await h.client.send(new ConverseStreamCommand(hello(modelId)));
    const rawEvents = await collect(rawOut.stream);
    h.instrument();
    const out = await h.client.send(new ConverseStreamCommand(hello(modelId)));
    const events = await collect(out.stream);
    const sent = lastRequestBody(h.standin);
    await flush();

    expect(normalise(events)).toEqual(normalise(rawEvents));
    expect(events.length).toBeGreaterThan(5);
    expect(h.capture.events).toEqual([
      {
        category: 'system.aws.bedrock',
        resource: modelId,
        units: { text: { input: 6, output: 5 } },
        ...anyTiming,
        time_to_first_token_ms: expect.any(Number),
        http_status_code: 200,
        provider_response_id: out.$metadata.requestId,
        provider_uri: h.standin.url,
        properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
        provider_request_json: sent,
        provider_response_json: JSON.stringify(events),
        provider_response_headers: expect.arrayContaining([{ name: 'x-amzn-requestid', value: out.$metadata.requestId }]),
        use_case_name: 'bedrock_tests',
        use_case_id: expect.stringMatching(UUID),
      },
    ]);
  });
});

test('Converse tool use is recorded as function calls and cache points as cache units', async () => {
  h.instrument();
  const input = hello(NOVA, {
    system: [{ text: 'You are terse.' }, { cachePoint: { type: 'default' } }],
    toolConfig: { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }] },
  });
  const out = await h.client.send(new ConverseCommand(input));
  await flush();

  expect(out.output?.message?.content?.[1]?.toolUse?.name).toBe('get_weather');
  expect(h.capture.events[0]!.units).toEqual({ text: { input: 9, output: 5 }, text_cache_read: { input: 1024 }, text_cache_write: { input: 256 } });
  expect(h.capture.events[0]!.provider_response_function_calls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
});

test('ConverseStream tool use fragments are joined into one function call', async () => {
  h.instrument();
  const input = hello(CLAUDE, { toolConfig: { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }] } });
  const out = await h.client.send(new ConverseStreamCommand(input));
  await collect(out.stream);
  await flush();

  expect(h.capture.events[0]!.provider_response_function_calls).toEqual([{ name: 'get_weather', arguments: '{"city": "Paris"}' }]);
});

test('stopping a ConverseStream early records an abandoned event with usage estimated from the request and the text received', async () => {
  h.instrument();
  const out = await h.client.send(new ConverseStreamCommand(hello(NOVA)));
  const seen: unknown[] = [];
  for await (const e of out.stream!) {
    seen.push(e);
    if (seen.length === 2) break;
  }
  await flush();

  expect(seen).toEqual([{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hello ' } } }]);
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0]!.properties).toEqual({ 'system.stream_outcome': 'abandoned', 'system.usage_source': 'estimated' });
  expect(h.capture.events[0]!.units).toEqual({ text: { input: expect.any(Number), output: expect.any(Number) } });
  expect(h.capture.events[0]!.units.text!.input).toBeGreaterThan(0);
  expect(h.capture.events[0]!.units.text!.output).toBeGreaterThan(0);
});

test('a guardrail intervention is recorded with the guardrail id, version, action and policy units; status stays 200', async () => {
  h.instrument();
  const input: ConverseCommandInput = {
    modelId: NOVA,
    messages: [{ role: 'user', content: [{ text: 'Tell me the forbidden thing' }] }],
    guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: '2', trace: 'enabled' },
  };
  const out = await h.client.send(new ConverseCommand(input));
  await flush();

  expect(out.stopReason).toBe('guardrail_intervened');
  const event = h.capture.events[0]!;
  expect(event.http_status_code).toBe(200);
  expect(event.properties).toEqual({
    'system.usage_source': 'reported',
    'system.aws.bedrock.guardrail.id': 'gr-123',
    'system.aws.bedrock.guardrail.version': '2',
    'system.aws.bedrock.guardrail.action': 'INTERVENED',
    'system.failure': 'guardrail_intervened',
    'system.failure.description': 'Bedrock Guardrails intervened',
  });
  expect(event.units).toEqual({ text: { input: 7, output: 0 }, guardrail_topic: { input: 1 }, guardrail_content: { input: 1 } });
});

test('the same command object sent again while in flight, and other commands at once: each call gets its own event, attribution and answer', async () => {
  h.instrument();
  const shared = new ConverseCommand(hello(CLAUDE));
  const send = (userId: string, command: ConverseCommand) => trackContext({ userId }, () => h.client.send(command));
  const outs = await Promise.all([send('u-1', shared), send('u-2', shared), send('u-3', new ConverseCommand(hello(NOVA))), send('u-4', shared)]);
  await flush();

  expect(h.capture.events).toHaveLength(4);
  const byUser = new Map(h.capture.events.map((e) => [e.user_id, e]));
  ['u-1', 'u-2', 'u-3', 'u-4'].forEach((user, i) => {
    const event = byUser.get(user)!;
    expect(event).toMatchObject({ provider_response_id: outs[i]!.$metadata.requestId, http_status_code: 200, provider_uri: h.standin.url, resource: i === 2 ? NOVA : CLAUDE });
    expect(event.provider_response_headers).toEqual(expect.arrayContaining([{ name: 'x-amzn-requestid', value: outs[i]!.$metadata.requestId }]));
    expect(JSON.parse(event.provider_request_json!)).toMatchObject({ messages: [{ role: 'user', content: [{ text: 'Say hello to the user' }] }] });
  });
});
