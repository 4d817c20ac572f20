/**
 * `provider_request_json` is the request as the provider received it: the SDK's own JSON of the
 * body, taken as it was sent (not serialised a second time), byte for byte what reached the
 * stand-in; a stream whose `stream_options` the SDK changed logs the caller's body, as before.
 */
import { globalAttribution, startHarness, type OpenAIHarness } from './helpers';

let h: OpenAIHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const messages = [{ role: 'user' as const, content: 'Ünïcödé "quotes", a \\ backslash and 🚀 in the prompt' }];
const received = (): string[] => h.standin.requests.map((r) => r.body.toString('utf8'));

test('chat and responses: the logged request is the body the provider received, byte for byte', async () => {
  await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.2 });
  await h.client.responses.create({ model: 'gpt-4o-mini', input: 'Say hi to "José"' });
  const events = await h.events();
  expect(events).toHaveLength(2);
  expect(events.map((e) => e.provider_request_json)).toEqual(received());
  expect(events[0]).toMatchObject(globalAttribution);
});

test('embeddings: the SDK sends a changed copy (encoding_format), the caller\'s body is logged as before', async () => {
  const body = { model: 'text-embedding-3-small', input: ['one', 'two'] };
  await h.client.embeddings.create(body);
  const events = await h.events();
  expect(events.map((e) => e.provider_request_json)).toEqual([JSON.stringify(body)]);
  expect(JSON.parse(received()[0]!)).toEqual({ ...body, encoding_format: 'base64' });
});

test('one body object sent twice at once: each event logs it', async () => {
  const body = { model: 'gpt-4o-mini', messages };
  await Promise.all([h.client.chat.completions.create(body), h.client.chat.completions.create(body)]);
  const events = await h.events();
  expect(events.map((e) => e.provider_request_json)).toEqual([JSON.stringify(body), JSON.stringify(body)]);
  expect(received()).toEqual([JSON.stringify(body), JSON.stringify(body)]);
});

test('a failed call logs the body it sent', async () => {
  const body = { model: 'gpt-4o-mini', messages };
  await expect(h.client.chat.completions.create(body, { headers: { 'x-standin-scenario': 'error-400' } })).rejects.toMatchObject({ status: 400 });
  const events = await h.events();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ http_status_code: 400, provider_request_json: received()[0] });
});

test('streams: with the caller\'s own include_usage the body sent; with usage asked for by the SDK the caller\'s body', async () => {
  const own = { model: 'gpt-4o-mini', messages, stream: true as const, stream_options: { include_usage: true } };
  for await (const _ of await h.client.chat.completions.create(own)) void _;
  const asked = { model: 'gpt-4o-mini', messages, stream: true as const };
  for await (const _ of await h.client.chat.completions.create(asked)) void _;
  const events = await h.events();
  const [ownSent, askedSent] = received();
  expect(events.map((e) => e.provider_request_json)).toEqual([ownSent, JSON.stringify(asked)]);
  expect(JSON.parse(askedSent!)).toEqual({ ...asked, stream_options: { include_usage: true } });
});
