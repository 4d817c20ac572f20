import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { startCollector, type RunningCollector } from '../../collector';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';

/**
 * The framework samples (samples/frameworks/) run as a user would run them: each calls
 * payiInstrument() itself, with PAYI_BASE_URL pointing at a real local collector and the provider
 * endpoints at the stand-in; the collector's stored events show the attribution.
 */
interface Row {
  use_case_name: string | null;
  use_case_id: string | null;
  user_id: string | null;
  category: string;
  resource: string;
  properties_json: string | null;
}

let collector: RunningCollector;
let standin: Standin;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-framework-samples-'));
  collector = await startCollector({ port: 0, dbPath: path.join(dir, 'payi.db'), logger: pino({ level: 'silent' }) });
  standin = await startStandin([openaiRoute]);
});
afterAll(async () => {
  await standin.close();
  await collector.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  collector.db.exec('DELETE FROM events');
  process.env.PAYI_BASE_URL = collector.url;
  process.env.PAYI_LOG_LEVEL = 'silent';
  process.env.OPENAI_BASE_URL = `${standin.url}/v1`;
  delete process.env.PAYI_API_KEY;
});
afterEach(() => {
  process.env = { ...saved };
});

const rows = (): Row[] => collector.db.prepare('SELECT * FROM events ORDER BY id').all() as Row[];
const outcome = (r: Row): string | undefined => (r.properties_json ? (JSON.parse(r.properties_json) as Record<string, string>)['system.stream_outcome'] : undefined);
const day3 = [
  ['chatbot', null, undefined],
  ['document_summarizer', null, 'completed'],
  ['chatbot', 'user_42', undefined],
  ['chatbot', 'alice', undefined],
  ['document_summarizer', 'bob', 'completed'],
];

test('Day 3 with the AI SDK (generateText and streamText): each feature its use case, trackContext adds the user', async () => {
  const { main } = await import('../../samples/frameworks/day3-ai-sdk');
  const out = await main();
  expect(rows().map((r) => [r.use_case_name, r.user_id, outcome(r)])).toEqual(day3);
  expect(rows().every((r) => r.category === 'system.openai' && r.resource === 'gpt-4o-mini')).toBe(true);
  expect(new Set(rows().map((r) => r.use_case_id)).size).toBe(5);
  expect(out[0]).toBe('Stand-in reply: Tell me about Pay-i instrumentation');
});

test('Day 3 with LangChain.js (a chat model and a streamed RunnableSequence): the same attribution', async () => {
  const { main } = await import('../../samples/frameworks/day3-langchain');
  const out = await main();
  expect(rows().map((r) => [r.use_case_name, r.user_id, outcome(r)])).toEqual(day3);
  expect(new Set(rows().map((r) => r.use_case_id)).size).toBe(5);
  expect(out[2]).toBe('Stand-in reply: Hello');
});

test('an agent run with a handoff and a tool call: every model call in the use case and user of the run', async () => {
  const { main } = await import('../../samples/frameworks/agent-run');
  const out = await main();
  expect(out.agent).toBe('Weather specialist');
  expect(rows().map((r) => [r.use_case_name, r.user_id, r.category])).toEqual([
    ['weather_agent', 'alice', 'system.openai'],
    ['weather_agent', 'alice', 'system.openai'],
    ['weather_agent', 'alice', 'system.openai'],
  ]);
  expect(new Set(rows().map((r) => r.use_case_id)).size).toBe(1);
});
