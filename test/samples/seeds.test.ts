import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { startCollector, type RunningCollector } from '../../collector';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';

/**
 * Every seed document's example has a TypeScript twin in samples/seeds/. Each runs here as a user
 * would run it — it calls payiInstrument() itself, with PAYI_BASE_URL pointing at a real local
 * collector and the provider clients at the stand-in — and the collector's stored events show the
 * attribution the seed describes.
 */
interface Row {
  use_case_name: string | null;
  use_case_id: string | null;
  user_id: string | null;
  limit_ids_json: string | null;
  request_tags_json: string | null;
  source: string;
  provider_request_json: string | null;
}

let collector: RunningCollector;
let standin: Standin;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-seeds-'));
  collector = await startCollector({ port: 0, dbPath: path.join(dir, 'payi.db'), logger: pino({ level: 'silent' }) });
  standin = await startStandin([openaiRoute, anthropicRoute]);
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
  process.env.ANTHROPIC_BASE_URL = standin.url;
  delete process.env.PAYI_API_KEY;
});

afterEach(() => {
  process.env = { ...saved };
});

const rows = (): Row[] => collector.db.prepare('SELECT * FROM events ORDER BY id').all() as Row[];
const list = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

test('Day 2: the decorator user id, and per-call user ids that take precedence over it', async () => {
  const { main } = await import('../../samples/seeds/day2-user-ids');
  const answers = await main();
  expect(answers).toHaveLength(3);
  expect(rows().map((r) => r.user_id)).toEqual(['user_from_context', 'user_123', 'user_456']);
});

test('Day 3: each feature is its own use case, and trackContext adds the user', async () => {
  const { main } = await import('../../samples/seeds/day3-use-cases');
  await main();
  expect(rows().map((r) => [r.use_case_name, r.user_id])).toEqual([
    ['chatbot', null],
    ['document_summarizer', null],
    ['chatbot', 'user_42'],
    ['chatbot', 'alice'],
    ['document_summarizer', 'bob'],
  ]);
  // each entry of a named scope is a new use case instance
  expect(new Set(rows().map((r) => r.use_case_id)).size).toBe(5);
});

test('Use cases: automatic ids differ per execution, your own id is kept, a service-made id is used', async () => {
  const { main } = await import('../../samples/seeds/use-case-ids');
  const out = (await main()) as { automatic: string[]; own: string; generated: string };
  expect(new Set(out.automatic).size).toBe(3);
  expect(out.own).toBe('TICKET-1234');
  const stored = rows();
  expect(stored.map((r) => r.use_case_id)).toEqual([out.generated, ...out.automatic, 'TICKET-1234']);
  expect(stored.every((r) => r.use_case_name === 'quickstart_usecase')).toBe(true);
  const def = collector.db.prepare('SELECT description FROM use_case_definitions WHERE name = ?').get('quickstart_usecase') as { description: string };
  expect(def.description).toBe('An example use case.');
});

test('@track: use case, limits and user; several limits; a user read at call time; inner inherits, specific overrides', async () => {
  const { main } = await import('../../samples/seeds/track-decorator');
  const out = await main();
  expect(out).toEqual({ inherited: { inner: 'outer_function', specific: 'specific_function' } });
  expect(rows().map((r) => [r.use_case_name, r.user_id, list(r.limit_ids_json)])).toEqual([
    ['document_summary', 'user_123', ['daily_budget']],
    ['customer_support', null, ['support_budget', 'quality_limit']],
    ['user_dashboard', 'dashboard_user', []],
    ['outer_function', null, []],
    ['specific_function', null, []],
  ]);
});

test('@ingest/@proxy: nested tags combine, use case inherits or overrides, the per-call user wins, @Proxy goes through the proxy', async () => {
  const { main } = await import('../../samples/seeds/ingest-and-proxy-decorators');
  await main();
  const stored = rows();
  const view = (r: Row) => [r.use_case_name, r.user_id, list(r.request_tags_json), list(r.limit_ids_json)];
  // ingested by the SDK (batched, in call order)
  expect(stored.filter((r) => r.source === 'ingest').map(view)).toEqual([
    ['document_processing', null, ['app', 'parsing'], []],
    ['document_summary', null, ['app', 'summarization'], []],
    [expect.any(String), 'actual_user', ['app', 'query'], ['limit_a', 'limit_b']],
  ]);
  // metered by the proxy from the xProxy-* headers (stored as soon as the call went through)
  expect(stored.filter((r) => r.source === 'proxy').map(view)).toEqual([
    ['customer_support', 'customer_9', ['chat'], ['personal_limit', 'department_budget', 'project_x']],
  ]);
});

test('Advanced configuration: only the chosen providers, no prompts in events, the custom logger gets them', async () => {
  const { main } = await import('../../samples/seeds/advanced-config');
  // logging enabled for the use case: the collector would store prompts if the SDK sent them
  const def = await fetch(`${collector.url}/api/v1/use_cases/definitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'hipaa_notes', description: 'regulated', logging_enabled: true }),
  });
  expect(def.status).toBeLessThan(300);
  const logged: [string, Record<string, string>][] = [];
  await main((requestId, data) => logged.push([requestId, data]));
  const stored = rows();
  expect(stored).toHaveLength(2);
  expect(stored.every((r) => r.provider_request_json === null)).toBe(true);
  expect(logged).toHaveLength(2);
  expect(logged[0]![1].provider_request_json).toContain('Patient reports mild headache.');
  expect(logged[1]![1].provider_request_json).toContain('Patient reports mild headache.');
  // the request id the logger got is the stored event's id, so the two can be correlated
  const ids = collector.db.prepare('SELECT provider_response_id FROM events ORDER BY id').all() as { provider_response_id: string }[];
  expect(logged.map(([id]) => id)).toEqual(ids.map((r) => r.provider_response_id));
});

test('TC39 sample: class-level use case, per-method steps, users from the arguments, a streamed answer', async () => {
  const { main } = await import('../../samples/tc39/support-bot');
  const out = await main();
  expect(out).toHaveLength(4);
  expect(out.every((s) => s.length > 0)).toBe(true);
  const stored = collector.db.prepare('SELECT use_case_name, use_case_step, user_id, limit_ids_json, time_to_first_token_ms FROM events ORDER BY id').all() as {
    use_case_name: string;
    use_case_step: string;
    user_id: string;
    limit_ids_json: string;
    time_to_first_token_ms: number | null;
  }[];
  expect(stored.map((r) => [r.use_case_name, r.use_case_step, r.user_id, list(r.limit_ids_json)])).toEqual([
    ['support_bot', 'triage', 'cust_1', ['support_monthly']],
    ['support_bot', 'answer', 'cust_1', ['support_monthly']],
    ['support_bot', 'triage', 'cust_2', ['support_monthly']],
    ['support_bot', 'answer', 'cust_2', ['support_monthly']],
  ]);
  // the streamed answers were measured as streams
  expect(stored[1]!.time_to_first_token_ms).not.toBeNull();
});
