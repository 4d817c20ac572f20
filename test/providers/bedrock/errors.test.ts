import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { flush } from '../../../src/instrument';
import { anyTiming, bedrockClient, UUID, bedrockHarness } from './support';

const h = bedrockHarness();
const converse = (modelId: string): ConverseCommand => new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Say hello' }] }] });
const converseStream = (modelId: string): ConverseStreamCommand => new ConverseStreamCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Say hello' }] }] });

/** Runs a call and returns what it threw. */
async function failure(call: () => Promise<unknown>): Promise<any> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

const shape = (err: any) => ({ cls: err.constructor.name, name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, fault: err.$fault });

test('a 429 ThrottlingException reaches the caller unchanged and the event records status and request id', async () => {
  const raw = await failure(() => h.client.send(converse('amazon.nova-throttle')));
  h.instrument();
  const err = await failure(() => h.client.send(converse('amazon.nova-throttle')));
  await flush();

  expect(shape(err)).toEqual(shape(raw));
  expect(shape(err)).toEqual({ cls: 'ThrottlingException', name: 'ThrottlingException', message: 'Too many requests, please wait before trying again.', status: 429, fault: 'client' });
  expect(h.capture.events).toEqual([
    {
      category: 'system.aws.bedrock',
      resource: 'amazon.nova-throttle',
      units: {},
      ...anyTiming,
      http_status_code: 429,
      provider_response_id: err.$metadata.requestId,
      provider_uri: h.standin.url,
      properties: { 'system.usage_source': 'missing' },
      provider_request_json: '{"messages":[{"role":"user","content":[{"text":"Say hello"}]}]}',
      provider_response_json: '{"name":"ThrottlingException","message":"Too many requests, please wait before trying again."}',
      provider_response_headers: expect.arrayContaining([{ name: 'x-amzn-requestid', value: err.$metadata.requestId }]),
      use_case_name: 'bedrock_tests',
      use_case_id: expect.stringMatching(UUID),
    },
  ]);
});

test('a 400 ValidationException on InvokeModel reaches the caller unchanged and is recorded', async () => {
  const cmd = (): InvokeModelCommand => new InvokeModelCommand({ modelId: 'amazon.nova-validation', body: '{"messages":[]}' });
  const raw = await failure(() => h.client.send(cmd()));
  h.instrument();
  const err = await failure(() => h.client.send(cmd()));
  await flush();

  expect(shape(err)).toEqual(shape(raw));
  expect(err.name).toBe('ValidationException');
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0]).toMatchObject({ http_status_code: 400, provider_response_id: err.$metadata.requestId, units: {}, provider_request_json: '{"messages":[]}' });
});

test('the SDK retries a 429 as usual; one event records the last attempt', async () => {
  const retrying = bedrockClient(h.standin, { maxAttempts: 2, retryStrategy: undefined });
  h.instrument();
  const before = h.standin.requests.length;
  const err = await failure(() => retrying.send(converse('amazon.nova-throttle')));
  await flush();
  retrying.destroy();

  expect(err.$metadata.attempts).toBe(2);
  expect(h.standin.requests.length - before).toBe(2);
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0]!.provider_response_id).toBe(err.$metadata.requestId);
});

test('a connection dropped mid-ConverseStream fails for the caller as it does raw, and records a failed stream', async () => {
  const rawSeen: unknown[] = [];
  const raw = await failure(async () => {
    for await (const e of (await h.client.send(converseStream('amazon.nova-drop'))).stream!) rawSeen.push(e);
  });
  h.instrument();
  const seen: unknown[] = [];
  const err = await failure(async () => {
    for await (const e of (await h.client.send(converseStream('amazon.nova-drop'))).stream!) seen.push(e);
  });
  await flush();

  expect(seen).toEqual(rawSeen);
  expect({ cls: err.constructor.name, message: err.message }).toEqual({ cls: raw.constructor.name, message: raw.message });
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0]!.http_status_code).toBe(200);
  expect(h.capture.events[0]!.properties).toEqual({
    'system.stream_outcome': 'failed',
    'system.failure': err.constructor.name,
    'system.failure.description': err.message,
    'system.usage_source': 'estimated',
  });
});

test('an error with no HTTP status (connection dropped) is recorded as 299 with the failure properties', async () => {
  h.instrument();
  const err = await failure(() => h.client.send(converse('amazon.nova-drop')));
  await flush();

  expect(err.$metadata?.httpStatusCode).toBeUndefined();
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0]).toMatchObject({
    http_status_code: 299,
    units: {},
    properties: { 'system.failure': err.constructor.name, 'system.failure.description': err.message },
  });
});
