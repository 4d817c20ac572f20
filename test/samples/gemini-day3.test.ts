import '../support/undici-global';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { startCollector, type RunningCollector } from '../../collector';
import { geminiRoute } from '../../samples/standin/gemini';
import { startStandin, type Standin } from '../../samples/standin/server';

/**
 * The Gemini twin of the Day 3 seed runs as a user would run it (PAYI_BASE_URL at a real local
 * collector, GOOGLE_GEMINI_BASE_URL at the stand-in), and stores the same attribution as the
 * OpenAI original, with Gemini's category, resource and units.
 */
let collector: RunningCollector;
let standin: Standin;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-gemini-day3-'));
  collector = await startCollector({ port: 0, dbPath: path.join(dir, 'payi.db'), logger: pino({ level: 'silent' }) });
  standin = await startStandin([geminiRoute]);
  process.env.PAYI_BASE_URL = collector.url;
  process.env.PAYI_LOG_LEVEL = 'silent';
  process.env.GOOGLE_GEMINI_BASE_URL = standin.url;
  delete process.env.PAYI_API_KEY;
});

afterAll(async () => {
  process.env = { ...saved };
  await standin.close();
  await collector.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Day 3 with Gemini: each feature is its own use case, trackContext adds the user, every call is system.google.vertex', async () => {
  const { main } = await import('../../samples/seeds/day3-use-cases-gemini');
  const answers = await main();
  expect(answers[0]).toBe('Stand-in reply: Tell me about Pay-i instrumentation');
  expect(answers[2]).toBe('Stand-in reply: Hello');
  const rows = collector.db.prepare('SELECT * FROM events ORDER BY id').all() as Record<string, any>[];
  expect(rows.map((r) => [r.use_case_name, r.user_id, r.category, r.resource])).toEqual([
    ['chatbot', null, 'system.google.vertex', 'google.gemini-2.5-flash'],
    ['document_summarizer', null, 'system.google.vertex', 'google.gemini-2.5-flash'],
    ['chatbot', 'user_42', 'system.google.vertex', 'google.gemini-2.5-flash'],
    ['chatbot', 'alice', 'system.google.vertex', 'google.gemini-2.5-flash'],
    ['document_summarizer', 'bob', 'system.google.vertex', 'google.gemini-2.5-flash'],
  ]);
  expect(new Set(rows.map((r) => r.use_case_id)).size).toBe(5);
  expect(rows.every((r) => r.input_tokens > 0 && r.output_tokens > 0)).toBe(true);
  expect(JSON.parse(rows[2]!.properties_json)).toEqual({ 'system.stream_outcome': 'completed' });
});
