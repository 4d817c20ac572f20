import { GoogleGenAI, Models } from '@google/genai';
import { instrumentGoogle } from '../../../providers/google';
import { geminiRoute } from '../../../samples/standin/gemini';
import { startStandin, type Standin } from '../../../samples/standin/server';
import type { Settings } from '../../../src/options/types';
import type { CallRecorder } from '../../../src/recording/recorder';
import type { InstrumentationHub } from '../../../src/recording/types';
import '../../support/undici-global';

/** Faults inside the adapter never change a Gemini call: it is made uninstrumented and the fault is logged. */
let standin: Standin;
beforeAll(async () => {
  standin = await startStandin([geminiRoute]);
});
afterAll(() => standin.close());
let undo: (() => void) | undefined;
afterEach(() => undo?.());

const memoryLogger = () => {
  const lines: { level: string; args: unknown[] }[] = [];
  const at = (level: string) => (...args: unknown[]) => void lines.push({ level, args });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
};
const hubWith = (beginCall: InstrumentationHub['beginCall'], logger = memoryLogger()) => ({ settings: { modules: {}, instruments: new Set(['google']) } as unknown as Settings, logger, beginCall });
const ai = (): GoogleGenAI => new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: standin.url } });
const params = { model: 'gemini-2.5-flash', contents: 'Hello there' };

test('when starting to record throws, the call is made uninstrumented and the fault is logged', async () => {
  const hub = hubWith(() => {
    throw new Error('adapter bug');
  });
  undo = instrumentGoogle(hub);
  expect((await ai().models.generateContent(params)).text).toBe('Stand-in reply: Hello there');
  expect(hub.logger.lines.filter((l) => l.level === 'warn')).toEqual([{ level: 'warn', args: [{ err: expect.any(Error) }, expect.stringContaining('not instrumented')] }]);
});

test('when every recorder hook throws, responses and streams still reach the caller whole', async () => {
  const broken = (): never => {
    throw new Error('recorder bug');
  };
  const recorder = { proxy: false, attribution: {}, proxyHeaders: broken, assertNotBlocked: () => undefined, markFirstToken: broken, finish: broken } as unknown as CallRecorder;
  let begun = 0;
  undo = instrumentGoogle(hubWith(() => (begun++, recorder)));
  expect((await ai().models.generateContent(params)).text).toBe('Stand-in reply: Hello there');
  let text = '';
  for await (const c of await ai().models.generateContentStream(params)) text += c.text ?? '';
  expect(text).toBe('Stand-in reply: Hello there');
  expect((await ai().models.embedContent({ model: 'gemini-embedding-001', contents: ['x'] })).embeddings).toHaveLength(1);
  expect(begun).toBe(3);
});

test('the undo restores the original methods', () => {
  const names = ['generateContentInternal', 'generateContentStreamInternal', 'embedContentInternal'] as const;
  const originals = names.map((n) => (Models.prototype as unknown as Record<string, unknown>)[n]);
  const u = instrumentGoogle(hubWith(() => undefined));
  expect(names.map((n) => (Models.prototype as unknown as Record<string, unknown>)[n] === originals[names.indexOf(n)])).toEqual([false, false, false]);
  u?.();
  expect(names.map((n) => (Models.prototype as unknown as Record<string, unknown>)[n])).toEqual(originals);
});
