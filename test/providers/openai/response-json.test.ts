/**
 * `provider_response_json` of a JSON answer is the provider's own JSON, as it came (the SDK's read
 * of the body is kept, not the parsed result serialised again): an indented answer, as the real
 * API sends it, is logged indented. The caller gets the same result and the same errors as
 * without instrumentation, and the `Response` of `.withResponse()` is left as the SDK made it.
 */
import { shutdown } from '../../../src/instrument';
import { startHarness, type OpenAIHarness } from './helpers';

let h: OpenAIHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Ünïcödé "quotes" and 🚀' }] };
const pretty = { headers: { 'x-standin-scenario': 'pretty' } };
const invalid = { headers: { 'x-standin-scenario': 'invalid-json' } };

test('chat and responses: the answer logged byte for byte as the provider sent it; the caller gets what it got without instrumentation', async () => {
  const { data: completion, response } = await h.client.chat.completions.create(body, pretty).withResponse();
  const created = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'Say hi' }, pretty);
  const events = await h.events();
  expect(events).toHaveLength(2);
  const [chatJson, responsesJson] = events.map((e) => e.provider_response_json!);
  expect(chatJson).toContain('\n  "id": ');
  expect(JSON.parse(chatJson!)).toEqual(JSON.parse(JSON.stringify(completion)));
  expect(responsesJson).toContain('\n  "id": ');
  expect(JSON.parse(responsesJson!).id).toBe(created.id);
  // the Response the caller holds has no methods of ours
  expect(Object.getOwnPropertyNames(response)).toEqual([]);
  expect(response.bodyUsed).toBe(true);

  await shutdown();
  const raw = await h.client.chat.completions.create(body, pretty);
  expect({ ...raw, id: 'x', created: 0 }).toEqual({ ...completion, id: 'x', created: 0 });
});

test('a JSON answer that does not parse: the same error as without instrumentation, and the call is recorded as failed', async () => {
  const instrumented = await h.client.chat.completions.create(body, invalid).then(
    () => undefined,
    (err: unknown) => err,
  );
  const events = await h.events();
  await shutdown();
  const raw = await h.client.chat.completions.create(body, invalid).then(
    () => undefined,
    (err: unknown) => err,
  );
  // (by name: jest runs the test in a realm of its own, the SDK's fetch in Node's)
  expect((raw as Error).name).toBe('SyntaxError');
  expect((instrumented as Error).name).toBe('SyntaxError');
  expect((instrumented as Error).message).toBe((raw as Error).message);
  expect(events).toHaveLength(1);
  expect(events[0]).not.toHaveProperty('provider_response_json');
  expect(events[0]!.properties).toMatchObject({ 'system.failure': expect.any(String) });
});

test('logging off: the body is read as the SDK reads it and nothing is kept', async () => {
  await h.close();
  h = await startHarness({ logPromptAndResponse: false });
  const completion = await h.client.chat.completions.create(body, pretty);
  const events = await h.events();
  expect(events).toHaveLength(1);
  expect(events[0]).not.toHaveProperty('provider_response_json');
  expect(events[0]!.provider_response_id).toBe(completion.id);
});
