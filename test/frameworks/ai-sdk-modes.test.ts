import { createOpenAI } from '@ai-sdk/openai';
import { generateObject, generateText, streamText, wrapLanguageModel } from 'ai';
import OpenAI from 'openai';
import { z } from 'zod';
import { trackContext } from '../../src/context/scope';
import { payiMiddleware } from '../../src';
import { isPayiTelemetry } from '../../providers/ai-sdk';
import { startHarness, type FrameworkHarness } from './helpers';

let h: FrameworkHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const prompt = 'Hello there, how are you today?';
const xproxy = (headers: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('xproxy-')));

test('proxy mode: the frame becomes xProxy-* headers on the AI SDK request and nothing is ingested', async () => {
  h = await startHarness({ proxy: true, useCaseName: 'proxied', userId: 'u1', limitIds: ['l1'] });
  const openai = createOpenAI({ apiKey: 'k', baseURL: `${h.standin.url}/v1` });
  await generateText({ model: openai.chat('gpt-4o-mini'), prompt });
  await trackContext({ userId: 'u2' }, () => generateText({ model: wrapLanguageModel({ model: openai.chat('gpt-4o-mini'), middleware: payiMiddleware() }), prompt, telemetry: { isEnabled: false } }));
  const expected = { 'xproxy-usecase-name': 'proxied', 'xproxy-usecase-id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'xproxy-limit-ids': 'l1' };
  expect(xproxy(h.standin.requests[0]!.headers)).toEqual({ ...expected, 'xproxy-user-id': 'u1' });
  expect(xproxy(h.standin.requests[1]!.headers)).toEqual({ ...expected, 'xproxy-user-id': 'u2' });
  expect(await h.events()).toEqual([]);
});

test('payiMiddleware records calls the telemetry integration does not see (telemetry disabled for the call)', async () => {
  h = await startHarness();
  const openai = createOpenAI({ apiKey: 'k', baseURL: `${h.standin.url}/v1` });
  const model = wrapLanguageModel({ model: openai.chat('gpt-4o-mini'), middleware: payiMiddleware() });
  const r1 = await generateText({ model, prompt, telemetry: { isEnabled: false } });
  const s = streamText({ model, prompt, telemetry: { isEnabled: false } });
  await s.consumeStream();
  const events = await h.events();
  expect(events.map((e) => [e.category, e.resource, e.provider_response_id, e.properties?.['system.stream_outcome']])).toEqual([
    ['system.openai', 'gpt-4o-mini', r1.response.id, undefined],
    ['system.openai', 'gpt-4o-mini', (await s.response).id, 'completed'],
  ]);
});

test('never double-counted: middleware and telemetry integration together give one event per call (text and object)', async () => {
  h = await startHarness();
  const openai = createOpenAI({ apiKey: 'k', baseURL: `${h.standin.url}/v1` });
  const model = wrapLanguageModel({ model: openai.chat('gpt-4o-mini'), middleware: payiMiddleware() });
  await generateText({ model, prompt });
  await generateObject({ model, prompt, schema: z.object({ city: z.string() }) });
  await streamText({ model, prompt }).consumeStream();
  expect(h.standin.requests).toHaveLength(3);
  expect(await h.events()).toHaveLength(3);
});

test('never double-counted: an AI SDK model that calls an instrumented openai client gives one event', async () => {
  h = await startHarness();
  const client = new OpenAI({ apiKey: 'k', baseURL: `${h.standin.url}/v1`, maxRetries: 0 });
  // a custom AI SDK provider built on the openai package (the shape community providers take)
  const model = {
    specificationVersion: 'v4' as const,
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    supportedUrls: {},
    async doGenerate() {
      const c = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
      return {
        content: [{ type: 'text' as const, text: c.choices[0]!.message.content ?? '' }],
        finishReason: { unified: 'stop' as const, raw: 'stop' },
        usage: { inputTokens: { total: c.usage!.prompt_tokens, noCache: undefined, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: c.usage!.completion_tokens, text: undefined, reasoning: undefined }, raw: c.usage as never },
        response: { id: c.id, modelId: c.model },
        warnings: [],
      };
    },
    async doStream(): Promise<never> {
      throw new Error('not used');
    },
  };
  const result = await generateText({ model: model as never, prompt });
  const events = await h.events();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ category: 'system.openai', resource: 'gpt-4o-mini', provider_response_id: result.response.id });
  // the same client used directly is still recorded
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
  expect(await h.events()).toHaveLength(2);
});

test('payiInstrument() registers with the AI SDK telemetry list (instruments name aisdk), shutdown() removes it', async () => {
  const list = (): unknown[] => (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS ?? [];
  const before = list().length;
  h = await startHarness();
  expect(list().filter(isPayiTelemetry)).toHaveLength(1);
  await h.close();
  h = undefined;
  expect(list().filter(isPayiTelemetry)).toHaveLength(0);
  h = await startHarness({ instruments: ['anthropic'] });
  expect(list().filter(isPayiTelemetry)).toHaveLength(0);
  await h.close();
  h = await startHarness({ instruments: ['aisdk'] });
  expect(list().filter(isPayiTelemetry)).toHaveLength(1);
  expect(list()).toHaveLength(before + 1);
});
