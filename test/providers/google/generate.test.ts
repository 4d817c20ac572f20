import pino from 'pino';
import { payiInstrument, shutdown } from '../../../src/instrument';
import { requestProblems } from '../../wire/openapi';
import { googleHarness, headerPairs, sameButIds, timing } from './support';

const h = googleHarness();
const MODEL = 'gemini-2.5-flash';
const question = 'What is the capital of France?';
const tokens = (text: string): number => Math.ceil(text.length / 4);

test('generateContent (Gemini API) returns what the raw SDK returns, and one event describes it', async () => {
  const response = await h.gemini().models.generateContent({ model: MODEL, contents: question });
  await shutdown();
  const raw = await h.gemini().models.generateContent({ model: MODEL, contents: question });
  expect(sameButIds(response)).toEqual(sameButIds(raw));
  expect(response.constructor).toBe(raw.constructor);
  const usage = response.usageMetadata!;
  expect(usage.promptTokenCount).toBe(tokens(question));
  expect(h.capture.events).toEqual([
    {
      category: 'system.google.vertex',
      resource: `google.${MODEL}`,
      units: { text: { input: tokens(question), output: usage.candidatesTokenCount } },
      ...timing,
      http_status_code: 200,
      provider_response_id: response.responseId,
      provider_uri: h.standin.url,
      provider_request_json: JSON.stringify({ model: MODEL, contents: question }),
      provider_response_json: JSON.stringify({ ...response, sdkHttpResponse: undefined }),
      provider_response_headers: headerPairs(response.sdkHttpResponse?.headers),
    },
  ]);
});

test('a Vertex AI client (vertexai: true) is recorded the same way: system.google.vertex, resource google.<model>', async () => {
  const response = await h.vertex().models.generateContent({ model: `publishers/google/models/${MODEL}`, contents: question });
  await shutdown();
  expect(h.standin.requests[0].url).toMatch(/^\/v1beta1\/publishers\/google\/models\/gemini-2\.5-flash:generateContent/);
  expect(h.capture.events).toEqual([
    expect.objectContaining({ category: 'system.google.vertex', resource: `google.${MODEL}`, units: { text: { input: tokens(question), output: response.usageMetadata!.candidatesTokenCount } } }),
  ]);
});

test('thoughts become reasoning, cached content becomes text_cache_read, images are vision', async () => {
  const image = { inlineData: { mimeType: 'image/png', data: Buffer.from('png').toString('base64') } };
  const response = await h.gemini().models.generateContent({
    model: MODEL,
    contents: [{ role: 'user', parts: [{ text: question }, image] }],
    config: { cachedContent: 'cachedContents/standin-1', thinkingConfig: { includeThoughts: true } },
  });
  await shutdown();
  const u = response.usageMetadata!;
  expect(u.thoughtsTokenCount).toBe(16);
  const cachedText = Math.floor(tokens(question) / 2);
  expect(h.capture.events[0].units).toEqual({
    text: { input: tokens(question) - cachedText, output: u.candidatesTokenCount },
    vision: { input: 258 - 129 },
    text_cache_read: { input: cachedText },
    vision_cache_read: { input: 129 },
    reasoning: { output: 16 },
  });
});

test('functionCall parts become provider_response_function_calls with the args as JSON', async () => {
  const tools = [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } } }] }];
  const response = await h.gemini().models.generateContent({ model: MODEL, contents: question, config: { tools: tools as never } });
  await shutdown();
  expect(response.functionCalls).toEqual([{ name: 'get_weather', args: { city: question, days: 42 } }]);
  expect(h.capture.events[0].provider_response_function_calls).toEqual([{ name: 'get_weather', arguments: JSON.stringify({ city: question, days: 42 }) }]);
});

test('a chat built on models.generateContent records one event per message', async () => {
  const chat = h.gemini().chats.create({ model: MODEL });
  const first = await chat.sendMessage({ message: 'Hello there' });
  const second = await chat.sendMessage({ message: 'And again' });
  await shutdown();
  expect(first.text).toBe('Stand-in reply: Hello there');
  expect(h.capture.events.map((e) => [e.resource, e.provider_response_id])).toEqual([
    [`google.${MODEL}`, first.responseId],
    [`google.${MODEL}`, second.responseId],
  ]);
  // the second turn sends the history: more input
  expect(h.capture.events[1].units.text!.input).toBeGreaterThan(h.capture.events[0].units.text!.input!);
});

test('embedContent records the prompt tokens as text input', async () => {
  const response = await h.gemini().models.embedContent({ model: 'gemini-embedding-001', contents: ['first text', 'second, longer text'] });
  await shutdown();
  expect(response.embeddings).toHaveLength(2);
  expect(h.capture.events).toEqual([
    {
      category: 'system.google.vertex',
      resource: 'google.gemini-embedding-001',
      units: { text: { input: tokens('first text') + tokens('second, longer text'), output: 0 } },
      ...timing,
      http_status_code: 200,
      provider_response_id: expect.stringMatching(/^payi_[0-9a-f-]{36}$/),
      provider_uri: h.standin.url,
      provider_request_json: JSON.stringify({ model: 'gemini-embedding-001', contents: ['first text', 'second, longer text'] }),
      provider_response_json: JSON.stringify({ ...response, sdkHttpResponse: undefined }),
      provider_response_headers: headerPairs(response.sdkHttpResponse?.headers),
    },
  ]);
});

test('a client created before payiInstrument() is instrumented too, and nothing is recorded after shutdown()', async () => {
  await shutdown();
  const early = h.gemini();
  payiInstrument({ payi: h.capture, logger: pino({ level: 'silent' }), useCaseName: null });
  await early.models.generateContent({ model: MODEL, contents: question });
  await shutdown();
  await early.models.generateContent({ model: MODEL, contents: question });
  expect(h.capture.events).toHaveLength(1);
  expect(h.standin.requests).toHaveLength(2);
});

test("every kind of Gemini event is a valid body of Pay-i's POST /api/v1/ingest/bulk", async () => {
  const ai = h.gemini();
  await ai.models.generateContent({ model: MODEL, contents: question, config: { thinkingConfig: { includeThoughts: true } } });
  for await (const _ of await ai.models.generateContentStream({ model: MODEL, contents: question })) void _;
  await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['x'] });
  await ai.models.generateContent({ model: MODEL, contents: question, config: { httpOptions: { headers: { 'x-standin-scenario': 'error-429' } } } }).catch(() => undefined);
  await shutdown();
  expect(h.capture.events).toHaveLength(4);
  expect(requestProblems({ method: 'POST', path: '/api/v1/ingest/bulk', body: h.capture.events })).toEqual([]);
});
