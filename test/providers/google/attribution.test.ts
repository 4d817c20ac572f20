import type { GoogleGenAI } from '@google/genai';
import pino from 'pino';
import { Proxy, Track } from '../../../decorators';
import { trackContext } from '../../../src/context/scope';
import { PayiLimitBlockedError } from '../../../src/errors';
import { createHeaders } from '../../../src/headers/create-headers';
import { payiInstrument, shutdown } from '../../../src/instrument';
import type { PayiInstrumentOptions } from '../../../src/options/types';
import { googleHarness } from './support';

const h = googleHarness();
const MODEL = 'gemini-2.5-flash';
const start = async (options: PayiInstrumentOptions): Promise<void> => {
  await shutdown();
  payiInstrument({ payi: h.capture, logger: pino({ level: 'silent' }), useCaseName: null, ...options });
};
const payiHeadersSent = (i = 0): string[] => Object.keys(h.standin.requests[i]!.headers).filter((k) => k.startsWith('xproxy-'));

class Assistant {
  constructor(private readonly ai: GoogleGenAI) {}

  @Track({ useCaseName: 'gemini_assistant', limitIds: ['daily'], userId: ({ args }) => String(args[1]) })
  async ask(question: string, _user: string): Promise<string | undefined> {
    const stream = await this.ai.models.generateContentStream({ model: MODEL, contents: question });
    let text = '';
    for await (const c of stream) text += c.text ?? '';
    const r = await this.ai.models.generateContent({ model: MODEL, contents: question });
    return text === r.text ? text : undefined;
  }

  @Proxy({ useCaseName: 'gemini_proxied' })
  async proxied(question: string): Promise<string | undefined> {
    return (await this.ai.models.generateContent({ model: MODEL, contents: question, config: { httpOptions: { headers: { 'xProxy-api-key': 'payi-key' } } } })).text;
  }
}

test('a @Track-decorated caller attributes both its stream and its call; per-call xProxy headers win and never reach Google', async () => {
  const assistant = new Assistant(h.gemini());
  expect(await assistant.ask('Hello there', 'alice')).toBe('Stand-in reply: Hello there');
  await trackContext({ requestTags: ['t1'] }, () =>
    h.gemini().models.generateContent({ model: MODEL, contents: 'Hi', config: { httpOptions: { headers: { ...createHeaders({ userId: 'call-user' }), 'x-trace': 'abc' } } } }),
  );
  await shutdown();
  expect(h.standin.requests.map((_, i) => payiHeadersSent(i))).toEqual([[], [], []]);
  expect(h.standin.requests[2]!.headers['x-trace']).toBe('abc');
  expect(h.capture.events.map((e) => [e.use_case_name, e.user_id, e.limit_ids, e.request_tags, e.properties?.['system.stream_outcome']])).toEqual([
    ['gemini_assistant', 'alice', ['daily'], undefined, 'completed'],
    ['gemini_assistant', 'alice', ['daily'], undefined, undefined],
    [undefined, 'call-user', undefined, ['t1'], undefined],
  ]);
  expect(h.capture.events[0]!.use_case_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(h.capture.events[1]!.use_case_id).toBe(h.capture.events[0]!.use_case_id);
});

test('proxy mode (@Proxy): the frame goes to Google as xProxy headers through config.httpOptions.headers, the caller api key kept, nothing ingested', async () => {
  expect(await new Assistant(h.gemini()).proxied('Hello')).toBe('Stand-in reply: Hello');
  await shutdown();
  const sent = h.standin.requests[0]!.headers;
  expect(sent['xproxy-usecase-name']).toBe('gemini_proxied');
  expect(sent['xproxy-usecase-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(sent['xproxy-api-key']).toBe('payi-key');
  expect(h.capture.events).toEqual([]);
});

test('inline mode: the service answer is readable as response.xproxy_result without changing the response JSON', async () => {
  await start({ ingest: { mode: 'inline' } });
  h.capture.answer = () => ({ request_id: 'rq_inline', cost: { total: 0.002 } });
  const response = await h.gemini().models.generateContent({ model: MODEL, contents: 'Hi' });
  expect((response as unknown as { xproxy_result: unknown }).xproxy_result).toEqual({ request_id: 'rq_inline', cost: { total: 0.002 } });
  expect(Object.keys(response)).not.toContain('xproxy_result');
});

test('enforceLimits: a call under a blocked limit is refused before it reaches Google', async () => {
  await start({ ingest: { mode: 'inline' }, enforceLimits: true, limitIds: ['monthly'] });
  h.capture.answer = () => ({ request_id: 'rq', limits: { monthly: { state: 'blocked' } } });
  await h.gemini().models.generateContent({ model: MODEL, contents: 'Hi' });
  const sent = h.standin.requests.length;
  await expect(h.gemini().models.generateContent({ model: MODEL, contents: 'Hi' })).rejects.toBeInstanceOf(PayiLimitBlockedError);
  await expect(h.gemini().models.generateContentStream({ model: MODEL, contents: 'Hi' })).rejects.toBeInstanceOf(PayiLimitBlockedError);
  expect(h.standin.requests.length).toBe(sent);
});
