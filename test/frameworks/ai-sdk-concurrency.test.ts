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
  // 1,000 scopes started at once; at most 50 requests in flight (the in-process stand-in shares the CPU)
  let slots = 50;
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
          const r = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: `user-${i} asks`, maxRetries: 2 });
          answers.set(r.response.id, `user-${i}`);
        } else {
          const s = streamText({ model: openai.chat('gpt-4o-mini'), prompt: `user-${i} asks`, maxRetries: 2 });
          await s.consumeStream();
          answers.set((await s.response).id, `user-${i}`);
        }
        } finally {
          release();
        }
      }),
    ),
  );
  const all = await h.events();
  // on a loaded machine a kept-alive socket can be reset: the AI SDK retries, and the failed attempt is an event of its own
  const answered = all.filter((e) => e.http_status_code === 200);
  expect(answered).toHaveLength(n);
  const misattributed = answered.filter((e) => answers.get(e.provider_response_id!) !== e.user_id);
  expect(misattributed).toEqual([]);
  expect(new Set(answered.map((e) => e.user_id)).size).toBe(n);
  // every event, retried attempts included, carries the user whose prompt it sent
  expect(all.filter((e) => e.provider_request_json !== undefined && !e.provider_request_json.includes(`"${e.user_id} asks"`))).toEqual([]);
}, 120_000);
