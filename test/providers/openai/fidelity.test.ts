import { Stream } from 'openai/streaming';
import { trackContext } from '../../../src/context/scope';
import { openaiStandinUsage } from '../../../samples/standin/openai';
import { startHarness, type OpenAIHarness } from './helpers';

// Calls outside every scope pass through untouched (globalInstrumentation: false): the raw SDK.
// The same calls inside trackContext() are instrumented. The caller must not see a difference.
let h: OpenAIHarness;
beforeEach(async () => {
  h = await startHarness({ globalInstrumentation: false });
});
afterEach(async () => {
  await h.close();
});

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Tell me a story about a small robot' }] };
const scoped = <T>(fn: () => Promise<T>): Promise<T> => trackContext({ useCaseName: 'fidelity' }, fn);
const noIds = <T extends { id?: string }>(xs: T[]): T[] => xs.map((x) => ({ ...x, id: 'ID' }));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test('the caller gets the same chunks, in the same order, as from the raw SDK', async () => {
  const raw = await collect(await h.client.chat.completions.create({ ...body, stream: true }));
  const inst = await scoped(async () => collect(await h.client.chat.completions.create({ ...body, stream: true })));
  expect(noIds(inst)).toEqual(noIds(raw));
  const rawWithUsage = await collect(await h.client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }));
  const instWithUsage = await scoped(async () => collect(await h.client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } })));
  expect(noIds(instWithUsage)).toEqual(noIds(rawWithUsage));
  expect(instWithUsage.at(-1)?.choices).toEqual([]);
  const events = await h.events();
  expect(events.map((e) => [e.use_case_name, e.properties?.['system.stream_outcome']])).toEqual([
    ['fidelity', 'completed'],
    ['fidelity', 'completed'],
  ]);
  expect(events[0]?.units).toEqual(events[1]?.units);
});

test('.withResponse() gives the same data, Response and request id', async () => {
  const raw = await h.client.chat.completions.create(body).withResponse();
  const inst = await scoped(() => h.client.chat.completions.create(body).withResponse());
  expect({ ...inst.data, id: 'ID' }).toEqual({ ...raw.data, id: 'ID' });
  expect(inst.response.status).toBe(200);
  expect(inst.request_id).toMatch(/^req_standin_/);
  const [event] = await h.events();
  expect(event?.provider_response_id).toBe(inst.data.id);
});

test('.asResponse() gives the raw Response and the call is still recorded', async () => {
  const res = await scoped(() => h.client.chat.completions.create(body).asResponse());
  const json = (await res.json()) as { id: string };
  const [event] = await h.events();
  expect(event?.provider_response_id).toBe(json.id);
  expect(event?.units).toEqual({ text: { input: openaiStandinUsage(body).prompt, output: openaiStandinUsage(body).completion } });
});

test('tee() splits the instrumented stream into two full copies, and the call is recorded once', async () => {
  const [a, b] = await scoped(async () => (await h.client.chat.completions.create({ ...body, stream: true })).tee());
  const [ca, cb] = await Promise.all([collect(a), collect(b)]);
  expect(ca).toEqual(cb);
  expect(ca.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(openaiStandinUsage(body).reply);
  expect(await h.events()).toHaveLength(1);
});

test('toReadableStream() round-trips through Stream.fromReadableStream', async () => {
  const raw = await collect(await h.client.chat.completions.create({ ...body, stream: true }));
  const readable = await scoped(async () => (await h.client.chat.completions.create({ ...body, stream: true })).toReadableStream());
  const back = await collect(Stream.fromReadableStream<(typeof raw)[number]>(readable, new AbortController()));
  expect(noIds(back)).toEqual(noIds(raw));
  const [event] = await h.events();
  expect(event?.properties).toEqual({ 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' });
});

test('chat.completions.stream(): same events and finalChatCompletion() as the raw SDK, recorded once', async () => {
  const run = async () => {
    const runner = h.client.chat.completions.stream(body);
    const deltas: string[] = [];
    runner.on('content', (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    return { deltas, final: { ...final, id: 'ID' } };
  };
  const raw = await run();
  const inst = await scoped(run);
  expect(inst).toEqual(raw);
  const events = await h.events();
  const u = openaiStandinUsage(body);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ units: { text: { input: u.prompt, output: u.completion } }, properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' } });
  // the SDK's own x-stainless-helper-method header is not the caller's (issue 11 item 5)
  expect(events[0]?.provider_request_headers).toBeUndefined();
});

test('chat.completions.parse(): same parsed result as the raw SDK, recorded once', async () => {
  const raw = await h.client.chat.completions.parse(body);
  const inst = await scoped(() => h.client.chat.completions.parse(body));
  expect({ ...inst, id: 'ID' }).toEqual({ ...raw, id: 'ID' });
  const events = await h.events();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ provider_response_id: inst.id });
  expect(events[0]?.provider_request_headers).toBeUndefined();
});
