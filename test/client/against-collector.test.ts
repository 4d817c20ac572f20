import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { startCollector, type RunningCollector } from '../../collector';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { Payi, PayiApiError, flush, payiInstrument, shutdown, trackContext } from '../../src';

/**
 * The Payi REST client against its local counterpart, the collector (in-process, port 0, a real
 * SQLite file): every method succeeds, 4xx answers become PayiApiError with the service's error,
 * the API key is sent and never shown, and instrumentation sends through a given client.
 */
const KEY = 'pk-test-secret-key-123456';
let collector: RunningCollector;
let dir: string;
let payi: Payi;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-client-'));
  collector = await startCollector({ port: 0, dbPath: path.join(dir, 'payi.db'), apiKey: KEY, logger: pino({ level: 'silent' }) });
  payi = new Payi({ apiKey: KEY, baseUrl: collector.url, maxRetries: 0 });
});
afterAll(async () => {
  await collector.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('use case definitions: create, get, list, update, increment the version, delete', async () => {
  const created = await payi.useCases.definitions.create({ name: 'summarize', description: 'Summaries', loggingEnabled: true });
  expect(created).toMatchObject({ name: 'summarize', description: 'Summaries', logging_enabled: true, type_version: 1, request_id: expect.any(String) });
  expect(await payi.useCases.definitions.get('summarize')).toMatchObject({ name: 'summarize', type_version: 1 });
  expect(JSON.stringify(await payi.useCases.definitions.list())).toContain('"summarize"');
  expect(await payi.useCases.definitions.update('summarize', { description: 'Short summaries' })).toMatchObject({ description: 'Short summaries' });
  expect(await payi.useCases.definitions.incrementVersion('summarize')).toMatchObject({ type_version: 2 });
  expect(await payi.useCases.definitions.get('summarize')).toMatchObject({ type_version: 2 });
  await payi.useCases.definitions.delete('summarize');
  await expect(payi.useCases.definitions.get('summarize')).rejects.toMatchObject({ name: 'PayiApiError', status: 404 });
});

test('KPI scores incremented for a use case instance are readable back', async () => {
  await payi.useCases.definitions.create({ name: 'support_chat', description: 'Support' });
  await payi.useCases.kpis.define('support_chat', { name: 'resolved', description: 'Tickets resolved', kpiType: 'number', goal: 10 });
  expect(JSON.stringify(await payi.useCases.kpis.list('support_chat'))).toContain('"resolved"');
  const { use_case_id: id } = (await payi.useCases.create('support_chat')) as { use_case_id: string };
  expect(id).toEqual(expect.any(String));
  await payi.incrementKpiScore({ useCaseName: 'support_chat', useCaseId: id, kpiName: 'resolved', increment: 1 });
  await payi.incrementKpiScore({ useCaseName: 'support_chat', useCaseId: id, kpiName: 'resolved', increment: 2 });
  const scores = (await payi.useCases.kpiScores('support_chat', id)) as { items: { kpi_name: string; score: number }[] };
  expect(scores.items).toEqual([expect.objectContaining({ kpi_name: 'resolved', score: 3 })]);
});

test('limits: create, get, list, update, reset, delete', async () => {
  const created = await payi.limits.create({ limitName: 'monthly', max: 100, limitType: 'block', threshold: 0.8, limitId: 'lim_monthly' });
  expect(created.limit).toMatchObject({ limit_id: 'lim_monthly', limit_name: 'monthly', max: 100, limit_type: 'block', threshold: 0.8 });
  expect(await payi.limits.get('lim_monthly')).toMatchObject({ limit: { limit_name: 'monthly' } });
  expect(JSON.stringify(await payi.limits.list())).toContain('lim_monthly');
  expect(await payi.limits.update('lim_monthly', { max: 200 })).toMatchObject({ limit: { max: 200 } });
  await payi.limits.reset('lim_monthly');
  await payi.limits.delete('lim_monthly');
  // The spec declares 400 (ApiError) for GET /api/v1/limits/{limit_id}, no 404.
  await expect(payi.limits.get('lim_monthly')).rejects.toMatchObject({ name: 'PayiApiError', status: 400 });
});

test('ingest and request results: an event ingested with the client can be read back by its request id', async () => {
  const result = await payi.ingest.units({
    category: 'system.openai',
    resource: 'gpt-4o-mini',
    units: { text: { input: 10, output: 5 } },
    event_timestamp: new Date().toISOString(),
    provider_response_id: 'chatcmpl-client-1',
    use_case_name: 'client_test',
  });
  expect(result.request_id).toEqual(expect.any(String));
  expect(await payi.requests.result(result.request_id!)).toMatchObject({ xproxy_result: { request_id: result.request_id, use_case_name: 'client_test' } });
});

test('a 4xx answer is a PayiApiError with the status, code and message of the service', async () => {
  const err = await payi.useCases.definitions.get('no_such_case').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PayiApiError);
  expect(err).toMatchObject({ status: 404, code: 'not_found' });
  expect((err as Error).message).toContain('no_such_case');
});

test('the API key is sent (a wrong key gets 401) and never appears in the error', async () => {
  const wrong = new Payi({ apiKey: 'pk-wrong-key-abcdefgh', baseUrl: collector.url, maxRetries: 0 });
  const err = (await wrong.limits.list().catch((e: unknown) => e)) as PayiApiError;
  expect(err).toBeInstanceOf(PayiApiError);
  expect(err.status).toBe(401);
  expect(`${err.message} ${JSON.stringify(err)}`).not.toContain('pk-wrong-key-abcdefgh');
  await expect(payi.limits.list()).resolves.toBeDefined();
});

describe('payiInstrument({ payi })', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin([openaiRoute]);
  });
  afterAll(() => standin.close());
  afterEach(() => shutdown());

  async function oneCall(userId: string): Promise<Record<string, unknown>> {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${standin.url}/v1`, maxRetries: 0 });
    const r = await trackContext({ useCaseName: 'via_client', userId, limitIds: ['l1'] }, () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'same prompt' }] }),
    );
    await flush();
    return collector.db.prepare('SELECT * FROM events WHERE provider_response_id = ?').get(r.id) as Record<string, unknown>;
  }

  test('sends through the given client, and the stored events are the same as with the default client', async () => {
    const logger = pino({ level: 'silent' });
    payiInstrument({ apiKey: KEY, baseUrl: collector.url, logger });
    const viaDefault = await oneCall('u_default');
    await shutdown();

    let requests = 0;
    const counting = new Payi({ apiKey: KEY, baseUrl: collector.url, fetch: (input, init) => (requests++, fetch(input, init)) });
    payiInstrument({ payi: counting, logger });
    const viaClient = await oneCall('u_client');

    expect(requests).toBeGreaterThan(0);
    const comparable = (row: Record<string, unknown>) => {
      const { id: _i, request_id: _r, provider_response_id: _p, event_timestamp: _t, ingest_timestamp: _it, end_to_end_latency_ms: _l, use_case_id: _u, user_id: _uid, result_json: _res, response_headers_json: _h, provider_response_json: _pr, ...rest } = row;
      return rest;
    };
    expect(viaDefault).toBeDefined();
    expect(viaClient).toBeDefined();
    expect(comparable(viaClient)).toEqual(comparable(viaDefault));
    expect([viaDefault.user_id, viaClient.user_id]).toEqual(['u_default', 'u_client']);
  });
});
