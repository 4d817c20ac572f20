import OpenAI, { type APIError } from 'openai';
import { shutdown } from '../../../src/instrument';
import { startHarness, type OpenAIHarness } from './helpers';

let h: OpenAIHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'one two three four five six seven' }] };
const scenario = (s: string) => ({ headers: { 'x-standin-scenario': s } });

/** The error a call rejects with (fails the test if it resolves). */
async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** Same error class and properties as the raw SDK gives (the raw call is made after shutdown). */
function shape(err: unknown): Record<string, unknown> {
  const e = err as APIError;
  return { cls: e.constructor.name, status: e.status, code: e.code, type: e.type, error: e.error, message: e.message.replace(/req_standin_\d+/g, 'REQ') };
}

test.each([400, 401, 429, 500])('a provider %i reaches the caller unchanged and the event records the status', async (status) => {
  const err = await errorOf(h.client.chat.completions.create(body, scenario(`error-${status}`)));
  const [event] = await h.events();
  expect(event).toEqual({
    category: 'system.openai',
    resource: 'gpt-4o-mini',
    units: {},
    event_timestamp: expect.any(String),
    end_to_end_latency_ms: expect.any(Number),
    http_status_code: status,
    provider_response_id: (err as APIError).requestID,
    provider_uri: `${h.standin.url}/v1/chat/completions`,
    properties: { 'system.usage_source': 'missing' },
    provider_request_json: JSON.stringify(body),
    provider_response_json: JSON.stringify((err as APIError).error),
    provider_request_headers: [{ name: 'x-standin-scenario', value: `error-${status}` }],
    provider_response_headers: expect.arrayContaining([{ name: 'x-request-id', value: (err as APIError).requestID }]),
    use_case_name: 'openai_tests',
    use_case_id: expect.any(String),
  });
  await shutdown();
  const rawErr = await errorOf(h.client.chat.completions.create(body, scenario(`error-${status}`)));
  expect(shape(err)).toEqual(shape(rawErr));
});

test('a connection error reaches the caller as APIConnectionError; the event has 299 and system.failure', async () => {
  const dead = new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
  const err = await errorOf(dead.chat.completions.create(body));
  expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
  const [event] = await h.events();
  expect(event).toMatchObject({
    http_status_code: 299,
    units: {},
    provider_uri: 'http://127.0.0.1:9/v1/chat/completions',
    properties: { 'system.failure': 'APIConnectionError', 'system.failure.description': 'Connection error.' },
  });
  expect(event?.provider_response_id).toMatch(/^payi_[0-9a-f-]{36}$/);
});

test('breaking out of a stream early records the call as abandoned', async () => {
  const stream = await h.client.chat.completions.create({ ...body, stream: true }, scenario('slow'));
  let seen = 0;
  for await (const _ of stream) {
    if (++seen === 2) break;
  }
  expect(stream.controller.signal.aborted).toBe(true);
  const [event] = await h.events();
  expect(event).toMatchObject({ http_status_code: 200, properties: { 'system.stream_outcome': 'abandoned' }, time_to_first_token_ms: expect.any(Number) });
});

test('aborting with an AbortController records the call as abandoned', async () => {
  const ac = new AbortController();
  const stream = await h.client.chat.completions.create({ ...body, stream: true }, { ...scenario('slow'), signal: ac.signal });
  const chunks: unknown[] = [];
  for await (const c of stream) {
    chunks.push(c);
    if (chunks.length === 1) ac.abort();
  }
  const [event] = await h.events();
  // the prompt is billed although no usage arrived: estimated from the request (issue 11 item 6)
  expect(event?.properties).toEqual({ 'system.stream_outcome': 'abandoned', 'system.usage_source': 'estimated' });
});

test('a stream the connection drops mid-way fails for the caller like the raw SDK, and is recorded as failed', async () => {
  const read = async (): Promise<{ got: number; err: unknown }> => {
    let got = 0;
    const err = await errorOf(
      (async () => {
        for await (const _ of await h.client.chat.completions.create({ ...body, stream: true }, scenario('drop-stream'))) got++;
      })(),
    );
    return { got, err };
  };
  const inst = await read();
  const [event] = await h.events();
  expect(event).toMatchObject({
    http_status_code: 299,
    properties: { 'system.stream_outcome': 'failed', 'system.failure': (inst.err as Error).constructor.name, 'system.failure.description': (inst.err as Error).message },
  });
  await shutdown();
  const raw = await read();
  expect([inst.got, (inst.err as Error).constructor.name, (inst.err as Error).message]).toEqual([raw.got, (raw.err as Error).constructor.name, (raw.err as Error).message]);
});
