import pino from 'pino';
import { trackContext, track } from '../../../src/context/scope';
import { PayiLimitBlockedError } from '../../../src/errors';
import { createHeaders } from '../../../src/headers/create-headers';
import { payiInstrument, shutdown } from '../../../src/instrument';
import type { PayiInstrumentOptions } from '../../../src/options/types';
import type { Standin } from '../../../samples/standin/server';
import { anthropicStandin, captureClient, type CaptureClient } from './support';

let standin: Standin;
let makeClient: Awaited<ReturnType<typeof anthropicStandin>>['client'];
let capture: CaptureClient;

beforeAll(async () => {
  ({ standin, client: makeClient } = await anthropicStandin());
});
afterAll(() => standin.close());
beforeEach(() => {
  capture = captureClient();
  standin.requests.length = 0;
});
afterEach(() => shutdown());

const start = (options: PayiInstrumentOptions = {}): void => payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null, ...options });
const MODEL = 'claude-opus-4-6';
const body = { model: MODEL, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };
const payiHeadersSent = (i = 0): string[] => Object.keys(standin.requests[i].headers).filter((h) => h.startsWith('xproxy-'));

test('the scope attributes the event; a per-call createHeaders() value beats it, and no xProxy header reaches the provider', async () => {
  start();
  await trackContext({ useCaseName: 'support_bot', userId: 'frame-user', limitIds: ['L1'], requestProperties: { team: 'a' } }, () =>
    makeClient().messages.create(body, { headers: { ...createHeaders({ userId: 'call-user', requestTags: ['t1'] }), 'x-trace': 'abc' } }),
  );
  await shutdown();
  expect(payiHeadersSent()).toEqual([]);
  expect(standin.requests[0].headers['x-trace']).toBe('abc');
  expect(capture.events).toEqual([
    expect.objectContaining({
      use_case_name: 'support_bot',
      use_case_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      user_id: 'call-user',
      limit_ids: ['L1'],
      request_tags: ['t1'],
      properties: { team: 'a', 'system.usage_source': 'reported' },
      provider_request_headers: [{ name: 'x-trace', value: 'abc' }],
    }),
  ]);
});

test('track() reads the user from the arguments at call time, also for streams', async () => {
  start();
  const client = makeClient();
  const answer = track({ useCaseName: 'answer', userId: ({ args }) => String(args[0]) }, async (user: string) => {
    const stream = await client.messages.create({ ...body, stream: true });
    for await (const _ of stream) void _;
    return user;
  });
  await Promise.all([answer('alice'), answer('bob')]);
  await shutdown();
  expect(capture.events.map((e) => e.user_id).sort()).toEqual(['alice', 'bob']);
  expect(capture.events.every((e) => e.use_case_name === 'answer' && e.properties?.['system.stream_outcome'] === 'completed')).toBe(true);
});

test('an empty per-call header clears the field for that call', async () => {
  start({ userId: 'global-user' });
  await makeClient().messages.create(body, { headers: { 'xProxy-User-ID': '' } });
  await makeClient().messages.create(body);
  await shutdown();
  expect(capture.events.map((e) => e.user_id)).toEqual([undefined, 'global-user']);
});

test('proxy mode: the frame goes out as xProxy headers (caller api key kept) and nothing is ingested', async () => {
  start({ proxy: true });
  await trackContext({ useCaseName: 'proxied', limitIds: ['L9'], requestProperties: { a: '1' } }, () =>
    makeClient().messages.create(body, { headers: { 'xProxy-api-key': 'payi-key', ...createHeaders({ userId: 'u7' }) } }),
  );
  await shutdown();
  const h = standin.requests[0].headers;
  expect(h['xproxy-usecase-name']).toBe('proxied');
  expect(h['xproxy-usecase-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(h['xproxy-limit-ids']).toBe('L9');
  expect(h['xproxy-user-id']).toBe('u7');
  expect(h['xproxy-request-properties']).toBe(Buffer.from('{"a":"1"}').toString('base64'));
  expect(h['xproxy-api-key']).toBe('payi-key');
  expect(capture.events).toEqual([]);
});

test('inline mode: the service answer is readable as message.xproxy_result without changing the message JSON', async () => {
  start({ ingest: { mode: 'inline' } });
  capture.answer = () => ({ request_id: 'rq_inline', cost: { total: 0.001 } });
  const message = await makeClient().messages.create(body);
  expect((message as unknown as { xproxy_result: unknown }).xproxy_result).toEqual({ request_id: 'rq_inline', cost: { total: 0.001 } });
  expect(Object.keys(message)).not.toContain('xproxy_result');
  expect(capture.events).toHaveLength(1);
});

test('enforceLimits: after the service reports a limit blocked, a call under it is refused before reaching the provider', async () => {
  start({ ingest: { mode: 'inline' }, enforceLimits: true, limitIds: ['monthly'] });
  capture.answer = () => ({ request_id: 'rq', limits: { monthly: { state: 'blocked' } } });
  await makeClient().messages.create(body);
  const sent = standin.requests.length;
  await expect(makeClient().messages.create(body)).rejects.toBeInstanceOf(PayiLimitBlockedError);
  await expect(makeClient().messages.create(body).withResponse()).rejects.toThrow('monthly');
  const ms = makeClient().messages.stream(body);
  // MessageStream wraps errors that are not the SDK's own in an AnthropicError, with the original as `cause`.
  await expect(ms.finalMessage()).rejects.toMatchObject({ cause: expect.any(PayiLimitBlockedError) });
  expect(standin.requests.length).toBe(sent);
  await trackContext({ limitIds: [] }, () => makeClient().messages.create(body));
  expect(standin.requests.length).toBe(sent + 1);
});
