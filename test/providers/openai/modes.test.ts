import { trackContext } from '../../../src/context/scope';
import { PayiLimitBlockedError } from '../../../src/errors';
import { createHeaders } from '../../../src/headers/create-headers';
import { CallRecorder } from '../../../src/recording/recorder';
import * as units from '../../../providers/openai/units';
import { openaiStandinUsage } from '../../../samples/standin/openai';
import { startHarness, type OpenAIHarness } from './helpers';

let h: OpenAIHarness | undefined;
afterEach(async () => {
  jest.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello proxy' }] };
const payiHeadersOf = (headers: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('xproxy-')));

test('proxy mode: the provider request carries exactly the contract headers and nothing is ingested', async () => {
  h = await startHarness({ proxy: true, useCaseName: 'proxied', useCaseVersion: 3, limitIds: ['l1', 'l2'], userId: 'u1', requestProperties: { a: '1' } });
  await h.client.chat.completions.create(body, { headers: { 'xProxy-api-key': 'payi-key', 'xProxy-Request-Tags': 't1' } });
  const sent = payiHeadersOf(h.standin.requests[0]!.headers);
  expect(sent).toEqual({
    'xproxy-api-key': 'payi-key',
    'xproxy-limit-ids': 'l1,l2',
    'xproxy-request-tags': 't1',
    'xproxy-usecase-name': 'proxied',
    'xproxy-usecase-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    'xproxy-usecase-version': '3',
    'xproxy-user-id': 'u1',
    'xproxy-request-properties': Buffer.from('{"a":"1"}').toString('base64'),
  });
  expect(h.standin.requests[0]?.json).toEqual(body);
  expect(await h.events()).toEqual([]);
});

test('a proxy scope inside ingest mode sends headers for its calls only', async () => {
  h = await startHarness();
  await trackContext({ proxy: true, userId: 'p-user' }, () => h!.client.chat.completions.create(body));
  await h.client.chat.completions.create(body);
  expect(payiHeadersOf(h.standin.requests[0]!.headers)).toMatchObject({ 'xproxy-user-id': 'p-user', 'xproxy-usecase-name': 'openai_tests' });
  expect(payiHeadersOf(h.standin.requests[1]!.headers)).toEqual({});
  expect(await h.events()).toHaveLength(1);
});

test('enforceLimits: a call over a blocked limit is refused with PayiLimitBlockedError and never reaches the provider', async () => {
  h = await startHarness({ enforceLimits: true, limitIds: ['daily'], ingest: { flushIntervalMs: 5, spillFile: false, limitRefreshMs: 0 } });
  await h.client.chat.completions.create(body);
  await h.events();
  h.capture.limitStates = { daily: { state: 'blocked' } };
  await h.client.chat.completions.create(body);
  await h.events();
  expect(h.standin.requests).toHaveLength(2);
  const refused = h.client.chat.completions.create(body);
  await expect(refused).rejects.toBeInstanceOf(PayiLimitBlockedError);
  await expect(h.client.chat.completions.create(body).withResponse()).rejects.toMatchObject({ limitIds: ['daily'] });
  await expect(h.client.chat.completions.parse(body)).rejects.toBeInstanceOf(PayiLimitBlockedError);
  expect(h.standin.requests).toHaveLength(2);
  // a per-call limit header that does not name the blocked limit is let through
  await h.client.chat.completions.create(body, { headers: createHeaders({ limitIds: ['other'] }) });
  expect(h.standin.requests).toHaveLength(3);
});

test('every adapter hook throwing: the provider result is unchanged', async () => {
  h = await startHarness();
  const unitsSpy = jest.spyOn(units, 'chatUnits').mockImplementation(() => {
    throw new Error('units bug');
  });
  const completion = await h.client.chat.completions.create(body);
  expect(completion.choices[0]?.message.content).toBe(openaiStandinUsage(body).reply);
  const chunks = [];
  for await (const c of await h.client.chat.completions.create({ ...body, stream: true })) chunks.push(c);
  expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(openaiStandinUsage(body).reply);

  expect(unitsSpy).toHaveBeenCalledTimes(2);
  unitsSpy.mockRestore();
  const finishSpy = jest.spyOn(CallRecorder.prototype, 'finish').mockImplementation(() => {
    throw new Error('finish bug');
  });
  jest.spyOn(CallRecorder.prototype, 'markFirstToken').mockImplementation(() => {
    throw new Error('markFirstToken bug');
  });
  expect((await h.client.chat.completions.create(body)).choices[0]?.message.content).toBe(openaiStandinUsage(body).reply);
  const again = [];
  for await (const c of await h.client.chat.completions.create({ ...body, stream: true })) again.push(c);
  expect(again.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(openaiStandinUsage(body).reply);
  await expect(h.client.chat.completions.create(body, { headers: { 'x-standin-scenario': 'error-429' } })).rejects.toMatchObject({ status: 429 });

  expect(finishSpy).toHaveBeenCalledTimes(3);
  const assertSpy = jest.spyOn(CallRecorder.prototype, 'assertNotBlocked').mockImplementation(() => {
    throw new Error('assert bug');
  });
  expect((await h.client.responses.create({ model: 'gpt-4o', input: 'hi there' })).output_text).toBe('Stand-in reply: hi there');
  expect(assertSpy).toHaveBeenCalledTimes(1);
});

test('the delivery transport throwing: the provider result is unchanged', async () => {
  h = await startHarness();
  h.capture.failWith = new Error('ingest down');
  const completion = await h.client.chat.completions.create(body);
  expect(completion.choices[0]?.message.content).toBe(openaiStandinUsage(body).reply);
  await h.events();
  expect(h.capture.events).toEqual([]);
  await h.close();
  h = await startHarness({ ingest: { mode: 'inline' } });
  h.capture.failWith = new Error('ingest down');
  const inline = await h.client.chat.completions.create(body);
  expect(inline.choices[0]?.message.content).toBe(openaiStandinUsage(body).reply);
  expect((inline as unknown as { xproxy_result?: unknown }).xproxy_result).toBeUndefined();
});

test('shutdown() restores the SDK: later calls are not recorded', async () => {
  h = await startHarness();
  const { shutdown } = await import('../../../src/instrument');
  await shutdown();
  await h.client.chat.completions.create(body, { headers: createHeaders({ userId: 'x' }) });
  expect(h.capture.events).toEqual([]);
  // with no instrumentation the SDK sends what it is given
  expect(h.standin.requests[0]?.headers['xproxy-user-id']).toBe('x');
});
