import type { GenerateContentResponse } from '@google/genai';
import { shutdown } from '../../../src/instrument';
import { googleHarness, sameButIds, timing } from './support';

const h = googleHarness();
const MODEL = 'gemini-2.5-flash';
const question = 'Tell me a short story about a lighthouse keeper';
const scenario = (name: string) => ({ httpOptions: { headers: { 'x-standin-scenario': name } } });

async function collect(stream: AsyncIterable<GenerateContentResponse>): Promise<GenerateContentResponse[]> {
  const out: GenerateContentResponse[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

test('generateContentStream yields the same chunks as the raw SDK, and the event has the final usage and stream_outcome completed', async () => {
  const chunks = await collect(await h.gemini().models.generateContentStream({ model: MODEL, contents: question }));
  await shutdown();
  const raw = await collect(await h.gemini().models.generateContentStream({ model: MODEL, contents: question }));
  expect(sameButIds(chunks)).toEqual(sameButIds(raw));
  expect(chunks.length).toBe(3);
  const last = chunks[chunks.length - 1]!;
  expect(h.capture.events).toEqual([
    {
      category: 'system.google.vertex',
      resource: `google.${MODEL}`,
      units: { text: { input: last.usageMetadata!.promptTokenCount, output: last.usageMetadata!.candidatesTokenCount } },
      ...timing,
      time_to_first_token_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: last.responseId,
      provider_uri: h.standin.url,
      properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
      provider_request_json: JSON.stringify({ model: MODEL, contents: question }),
      provider_response_json: JSON.stringify(chunks.map((c) => ({ ...c, sdkHttpResponse: undefined }))),
    },
  ]);
  expect(chunks.map((c) => c.text).join('')).toBe(`Stand-in reply: ${question.split(' ').slice(0, 12).join(' ')}`);
});

test('a Vertex AI stream and its thoughts: reasoning from thoughtsTokenCount', async () => {
  const chunks = await collect(await h.vertex().models.generateContentStream({ model: MODEL, contents: question, config: { thinkingConfig: { includeThoughts: true } } }));
  await shutdown();
  const u = chunks[chunks.length - 1]!.usageMetadata!;
  expect(h.capture.events[0]).toEqual(
    expect.objectContaining({ category: 'system.google.vertex', units: { text: { input: u.promptTokenCount, output: u.candidatesTokenCount }, reasoning: { output: 16 } }, properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' } }),
  );
});

test('an early break records the stream as abandoned, with the usage seen so far', async () => {
  const stream = await h.gemini().models.generateContentStream({ model: MODEL, contents: question });
  let first: GenerateContentResponse | undefined;
  for await (const c of stream) {
    first = c;
    break;
  }
  await shutdown();
  expect(h.capture.events).toEqual([
    expect.objectContaining({
      units: { text: { input: first!.usageMetadata!.promptTokenCount, output: 0 } },
      provider_response_id: first!.responseId,
      properties: { 'system.stream_outcome': 'abandoned', 'system.usage_source': 'reported' },
      http_status_code: 200,
    }),
  ]);
});

test('an abort through config.abortSignal reaches the caller as the SDK raises it, and the stream is abandoned', async () => {
  const controller = new AbortController();
  const stream = await h.gemini().models.generateContentStream({ model: MODEL, contents: question, config: { abortSignal: controller.signal, ...scenario('slow') } });
  let error: unknown;
  try {
    for await (const _ of stream) controller.abort();
  } catch (e) {
    error = e;
  }
  await shutdown();
  expect((error as Error).name).toBe('AbortError');
  expect(h.capture.events.map((e) => e.properties)).toEqual([{ 'system.stream_outcome': 'abandoned', 'system.usage_source': 'reported' }]);
});

test('a stream cut by the provider: the error reaches the caller unchanged, the event says failed', async () => {
  const stream = await h.gemini().models.generateContentStream({ model: MODEL, contents: question, config: scenario('drop-stream') });
  let error: unknown;
  const seen: GenerateContentResponse[] = [];
  try {
    for await (const c of stream) seen.push(c);
  } catch (e) {
    error = e;
  }
  await shutdown();
  expect(seen).toHaveLength(1);
  expect((error as Error).message).toEqual(expect.any(String));
  expect(h.capture.events).toEqual([
    expect.objectContaining({
      http_status_code: 299,
      properties: { 'system.stream_outcome': 'failed', 'system.failure': (error as Error).constructor.name, 'system.failure.description': (error as Error).message, 'system.usage_source': 'reported' },
    }),
  ]);
});

test('a stream that is created but never read sends no event', async () => {
  await h.gemini().models.generateContentStream({ model: MODEL, contents: question });
  await shutdown();
  expect(h.capture.events).toEqual([]);
});

test('the instrumented stream behaves as the SDK\'s generator: return() before reading records nothing; throw() while reading reaches the caller and ends it abandoned (the SDK\'s own generator closes ours); next() after the end answers done', async () => {
  const unread = await h.gemini().models.generateContentStream({ model: MODEL, contents: question });
  expect(await unread.return(undefined)).toEqual({ done: true, value: undefined });
  expect(await unread.next()).toEqual({ done: true, value: undefined });

  const thrown = await h.gemini().models.generateContentStream({ model: MODEL, contents: question });
  expect((await thrown.next()).done).toBe(false);
  const boom = new Error('the caller gave up');
  await expect(thrown.throw(boom)).rejects.toBe(boom);
  expect(await thrown.next()).toEqual({ done: true, value: undefined });

  const whole = await h.gemini().models.generateContentStream({ model: MODEL, contents: question });
  expect(typeof whole[Symbol.asyncIterator]).toBe('function');
  const chunks = await collect(whole);
  expect(chunks.length).toBeGreaterThan(1);
  expect(await whole.next()).toEqual({ done: true, value: undefined });

  await shutdown();
  expect(h.capture.events.map((e) => e.properties?.['system.stream_outcome'])).toEqual(['abandoned', 'completed']);
});

test('a chat streamed with sendMessageStream is one event per turn, each completed', async () => {
  const chat = h.vertex().chats.create({ model: MODEL });
  for (const message of ['First turn', 'Second turn']) {
    let text = '';
    for await (const c of await chat.sendMessageStream({ message })) text += c.text ?? '';
    expect(text).toBe(`Stand-in reply: ${message}`);
  }
  await shutdown();
  expect(h.capture.events.map((e) => [e.resource, e.properties])).toEqual([
    [`google.${MODEL}`, { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' }],
    [`google.${MODEL}`, { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' }],
  ]);
});
