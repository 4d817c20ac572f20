import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { trackContext } from '../../src/context/scope';
import { startHarness, type FrameworkHarness } from './helpers';

let h: FrameworkHarness;
beforeAll(async () => {
  h = await startHarness({ ingest: { flushIntervalMs: 5, spillFile: false, maxQueueSize: 5000 } });
});
afterAll(async () => {
  await h.close();
});

test('1,000 concurrent AI SDK calls under different trackContext users: 0 misattributed events', async () => {
  const openai = createOpenAI({ apiKey: 'k', baseURL: `${h.standin.url}/v1` });
  const n = 1000;
  const answers = new Map<string, string>();
  // 1,000 scopes started at once; at most 100 requests in flight (the local stand-in's accept backlog)
  let slots = 100;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    while (slots === 0) await new Promise<void>((r) => waiting.push(r));
    slots--;
  };
  const release = (): void => {
    slots++;
    waiting.shift()?.();
  };
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      trackContext({ userId: `user-${i}` }, async () => {
        // half generate, half stream; the answer's id is mapped to the user that asked for it
        await slot();
        try {
        if (i % 2 === 0) {
          const r = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: `user-${i} asks`, maxRetries: 0 });
          answers.set(r.response.id, `user-${i}`);
        } else {
          const s = streamText({ model: openai.chat('gpt-4o-mini'), prompt: `user-${i} asks`, maxRetries: 0 });
          await s.consumeStream();
          answers.set((await s.response).id, `user-${i}`);
        }
        } finally {
          release();
        }
      }),
    ),
  );
  const events = await h.events();
  expect(events).toHaveLength(n);
  const misattributed = events.filter((e) => answers.get(e.provider_response_id!) !== e.user_id);
  expect(misattributed).toEqual([]);
  expect(new Set(events.map((e) => e.user_id)).size).toBe(n);
}, 120_000);
