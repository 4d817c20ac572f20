/**
 * Every request the SDK sends, captured at a spec-shaped local stand-in (test/support/ingest-sink.ts)
 * and validated against Pay-i's OpenAPI document with `requestProblems`: batched delivery, inline
 * delivery, offline replay of a spill file, and every `Payi` client method. A body field, query
 * parameter or `xProxy-*` header the spec does not declare for the operation fails these tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { Payi } from '../../src/client';
import { trackContext } from '../../src/context/scope';
import { replaySpillFile } from '../../src/delivery/replay';
import { PayiLimitBlockedError } from '../../src/errors';
import { flush, ingestStats, payiInstrument, shutdown } from '../../src/instrument';
import type { PayiEvent } from '../../src/events/types';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { IngestSink, startSink, type SinkRequest } from '../support/ingest-sink';
import { requestProblems } from './openapi';
import { SDK_MODULE } from '../../src/internal/version';

const PKG = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; version: string };

const KEY = 'sk-payi-wire-test-0000';
const silent = { error() {}, warn() {}, info() {}, debug() {} };
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello wire' }] };

/** Every attribution field a scope can set (contract §3). */
const ATTRIBUTION = {
  useCaseName: 'wire_case',
  useCaseId: 'uc-wire-1',
  useCaseVersion: 4,
  useCaseStep: 'draft',
  useCaseProperties: { tier: 'gold' },
  limitIds: ['budget', 'daily'],
  requestTags: ['t1', 't2'],
  userId: 'user_wire',
  accountName: 'acme',
  requestProperties: { team: 'core' },
  resourceScope: 'datazone',
};

const problemsOf = (r: SinkRequest): string[] => requestProblems({ method: r.method, path: r.path, query: r.query, headers: r.headers, body: r.body });
const conforming = (requests: readonly SinkRequest[]): { request: string; problems: string[] }[] =>
  requests.map((r) => ({ request: `${r.method} ${r.path}`, problems: problemsOf(r) }));
const noProblems = (requests: readonly SinkRequest[]) => requests.map((r) => ({ request: `${r.method} ${r.path}`, problems: [] as string[] }));

let sink: IngestSink;
let standin: Standin | undefined;
beforeEach(async () => {
  sink = await startSink();
});
afterEach(async () => {
  await shutdown({ timeoutMs: 1000 });
  await standin?.close();
  standin = undefined;
  await sink.stop();
});

test('xProxy-Instrumented-Module names this package at its package.json version', () => {
  expect(SDK_MODULE).toEqual({ name: PKG.name, version: PKG.version });
});

describe('the validator has teeth', () => {
  test('a captured bulk request with one undeclared field, or the old resource_scope, is refused', async () => {
    const payi = new Payi({ apiKey: KEY, baseUrl: sink.url, maxRetries: 0 });
    await payi.ingest.bulk([{ category: 'system.openai', resource: 'gpt-4o', units: {}, event_timestamp: '2025-01-01T00:00:00Z', resource_scope: 'global' }]);
    const r = sink.requests[0]!;
    expect(problemsOf(r)).toEqual([]);
    expect(problemsOf({ ...r, body: [{ ...(r.body as object[])[0], bogus: 1 }] }).join()).toMatch(/bogus/);
    expect(problemsOf({ ...r, body: [{ ...(r.body as object[])[0], resource_scope: 'global' }] }).join()).toMatch(/resource_scope/);
    expect(problemsOf({ ...r, path: '/api/v1/ingest/bulk?id=x' }).join()).toMatch(/query parameter id/);
  });
});

describe('every Payi method sends its operation exactly as the spec declares it', () => {
  const event: PayiEvent = {
    category: 'system.anthropic', resource: 'claude-3-5-haiku', units: { text: { input: 5, output: 7 } }, event_timestamp: '2025-01-01T00:00:00.000Z',
    end_to_end_latency_ms: 120, time_to_first_token_ms: 30, time_to_first_completion_token_ms: 45, http_status_code: 200, provider_response_id: 'msg_01',
    provider_uri: 'https://api.anthropic.com', properties: { k: 'v' }, use_case_properties: { u: '1' }, provider_request_json: '{}', provider_response_json: '{}',
    provider_response_headers: [{ name: 'request-id', value: 'r1' }], provider_request_headers: [{ name: 'x-app', value: 'a' }],
    provider_response_function_calls: [{ name: 'lookup', arguments: '{}' }], limit_ids: ['l1', 'l2'], request_tags: ['a'], use_case_name: 'chat', use_case_id: 'u-1',
    use_case_version: 3, use_case_step: 'draft', user_id: 'user@x', account_name: 'acme', resource_scope: 'global',
  };
  test.each<[string, (p: Payi) => Promise<unknown>]>([
    ['ingest.units', (p) => p.ingest.units(event)],
    ['ingest.bulk', (p) => p.ingest.bulk([event, { ...event, provider_response_id: 'msg_02' }])],
    ['ingest.bulkUpsert', (p) => p.ingest.bulkUpsert([event])],
    ['useCases.definitions.create', (p) => p.useCases.definitions.create({ name: 'summarize', description: 'Summaries', loggingEnabled: true, limitConfig: { max: 5, threshold: 0.8, limitType: 'block', properties: { a: 1 } } })],
    ['useCases.definitions.list', (p) => p.useCases.definitions.list()],
    ['useCases.definitions.get', (p) => p.useCases.definitions.get('summarize')],
    ['useCases.definitions.update', (p) => p.useCases.definitions.update('summarize', { description: 'New', loggingEnabled: false })],
    ['useCases.definitions.delete', (p) => p.useCases.definitions.delete('summarize')],
    ['useCases.definitions.incrementVersion', (p) => p.useCases.definitions.incrementVersion('summarize')],
    ['useCases.kpis.define', (p) => p.useCases.kpis.define('summarize', { name: 'accepted', description: 'kept', kpiType: 'likert5', goal: 4 })],
    ['useCases.kpis.list', (p) => p.useCases.kpis.list('summarize')],
    ['useCases.create', (p) => p.useCases.create('summarize')],
    ['useCases.kpiScores', (p) => p.useCases.kpiScores('summarize', 'uc 1')],
    // KpiScoreRequest.score is oneOf [boolean, integer, number]: a whole number matches two branches,
    // so no whole score can satisfy the document (a defect of the spec, see docs/wire.md); 2.5 can.
    ['incrementKpiScore (reads, then writes)', (p) => p.incrementKpiScore({ useCaseName: 'summarize', useCaseId: 'uc-1', kpiName: 'accepted', increment: 2.5 })],
    ['limits.create', (p) => p.limits.create({ limitName: 'monthly', max: 100, limitType: 'block', threshold: 0.8, limitId: 'lim_1', properties: { owner: 'me' } })],
    ['limits.list', (p) => p.limits.list({ limitName: 'monthly', sortAscending: true, limit: 10, cursor: 'c1' })],
    ['limits.get', (p) => p.limits.get('lim_1')],
    ['limits.update', (p) => p.limits.update('lim_1', { max: 200, limitName: 'monthly2' })],
    ['limits.reset', (p) => p.limits.reset('lim_1')],
    ['limits.delete', (p) => p.limits.delete('lim_1')],
    ['requests.result', (p) => p.requests.result('req_9')],
  ])('%s', async (_name, call) => {
    const payi = new Payi({ apiKey: KEY, baseUrl: sink.url, maxRetries: 0 });
    await call(payi);
    expect(sink.requests.length).toBeGreaterThan(0);
    expect(conforming(sink.requests)).toEqual(noProblems(sink.requests));
    for (const r of sink.requests) expect(r.headers['xproxy-api-key']).toBe(KEY);
  });
});

/** The event the OpenAI stand-in's answer to {@link body} gives, as a bulk item (spec names). */
function expectedItem(responseId: string): Record<string, unknown> {
  return {
    category: 'system.openai',
    resource: 'gpt-4o-mini',
    units: { text: { input: expect.any(Number), output: expect.any(Number) } },
    event_timestamp: expect.any(String),
    end_to_end_latency_ms: expect.any(Number),
    http_status_code: 200,
    provider_response_id: responseId,
    provider_uri: expect.any(String),
    provider_request_json: JSON.stringify(body),
    provider_response_json: expect.any(String),
    provider_response_headers: expect.any(Array),
    properties: { team: 'core', 'system.usage_source': 'reported' },
  };
}

describe('batched delivery', () => {
  test('a provider call arrives as a bare-array bulk item with every attribution field, scope included', async () => {
    standin = await startStandin([openaiRoute]);
    payiInstrument({ apiKey: KEY, baseUrl: sink.url, logger: silent, instruments: ['openai'], ingest: { flushIntervalMs: 5, spillFile: false } });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${standin.url}/v1`, maxRetries: 0 });
    const completion = await trackContext(ATTRIBUTION, () => client.chat.completions.create(body));
    await flush();
    expect(sink.ingestRequests.map((r) => r.path)).toEqual(['/api/v1/ingest/bulk']);
    expect(conforming(sink.requests)).toEqual(noProblems(sink.requests));
    const item = (sink.ingestRequests[0]!.body as Record<string, unknown>[])[0]!;
    const { properties, ...rest } = expectedItem(completion.id);
    expect(item).toEqual({
      ...rest,
      properties: expect.objectContaining({ team: 'core' }),
      use_case_properties: { tier: 'gold' },
      limit_ids: ['budget', 'daily'],
      request_tags: ['t1', 't2'],
      use_case_name: 'wire_case',
      use_case_id: 'uc-wire-1',
      use_case_version: 4,
      use_case_step: 'draft',
      user_id: 'user_wire',
      account_name: 'acme',
      scope: 'datazone',
    });
    void properties;
    expect(ingestStats()).toMatchObject({ queued: 0, sent: 1, failed: 0, spilled: 0, retried: 0 });
  });

  test('refused items (errors by item_index) are counted failed and spilled, never sent; the rest are sent once', async () => {
    const spillFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payi-wire-')), 'spill.jsonl');
    sink.behaviour = { kind: 'items', error: (e) => (e.provider_response_id === 'bad' ? { status: 400, code: 'invalid_event', message: 'units is malformed' } : undefined) };
    payiInstrument({ apiKey: KEY, baseUrl: sink.url, logger: silent, instruments: [], ingest: { maxBatchSize: 3, spillFile } });
    const { getRuntime } = await import('../../src/instrument');
    const ev = (id: string): PayiEvent => ({ category: 'system.openai', resource: 'gpt-4o', units: {}, event_timestamp: '2025-01-01T00:00:00Z', provider_response_id: id });
    for (const id of ['a', 'bad', 'c']) getRuntime()!.delivery.submit(ev(id));
    await flush();
    expect(conforming(sink.requests)).toEqual(noProblems(sink.requests));
    expect(sink.storedIds).toEqual(['a', 'c']);
    expect(ingestStats()).toMatchObject({ queued: 0, sent: 2, failed: 1, spilled: 1, retried: 0 });
    expect(fs.readFileSync(spillFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l).provider_response_id)).toEqual(['bad']);
  });
});

describe('inline delivery', () => {
  test('POST /api/v1/ingest carries an IngestRequest body and the attribution only as declared xProxy-* headers', async () => {
    standin = await startStandin([openaiRoute]);
    payiInstrument({ apiKey: KEY, baseUrl: sink.url, logger: silent, instruments: ['openai'], ingest: { mode: 'inline', spillFile: false } });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${standin.url}/v1`, maxRetries: 0 });
    const completion = await trackContext(ATTRIBUTION, () => client.chat.completions.create(body));
    expect(sink.ingestRequests.map((r) => r.path)).toEqual(['/api/v1/ingest']);
    expect(conforming(sink.requests)).toEqual(noProblems(sink.requests));
    const r = sink.ingestRequests[0]!;
    const { properties, ...rest } = expectedItem(completion.id);
    void properties;
    expect(r.body).toEqual({ ...rest, properties: expect.objectContaining({ team: 'core' }), use_case_properties: { tier: 'gold' } });
    expect(r.query).toEqual({ id: completion.id });
    expect(Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.startsWith('xproxy-')))).toEqual({
      'xproxy-api-key': KEY,
      'xproxy-instrumented-module': `payi-instrument/${PKG.version}`,
      'xproxy-limit-ids': 'budget,daily',
      'xproxy-usecase-name': 'wire_case',
      'xproxy-usecase-id': 'uc-wire-1',
      'xproxy-usecase-version': '4',
      'xproxy-usecase-step': 'draft',
      'xproxy-user-id': 'user_wire',
      'xproxy-account-name': 'acme',
      'xproxy-resource-scope': 'datazone',
    });
  });
});

describe('offline replay of a spill file', () => {
  test('spilled events (old resource_scope name, an unknown field) are replayed as conforming bulk items', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payi-wire-')), 'undelivered.jsonl');
    const lines = [
      { category: 'system.openai', resource: 'gpt-4o', units: { text: { input: 1, output: 2 } }, event_timestamp: '2025-01-01T00:00:00Z', provider_response_id: 'r1', resource_scope: 'region', user_id: 'u1' },
      { category: 'system.anthropic', resource: 'claude', units: {}, event_timestamp: '2025-01-01T00:00:01Z', provider_response_id: 'r2', some_future_field: true },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const result = await replaySpillFile(file, { apiKey: KEY, baseUrl: sink.url });
    expect(result).toMatchObject({ total: 2, sent: 2, failed: 0, remaining: 0 });
    expect(conforming(sink.requests)).toEqual(noProblems(sink.requests));
    expect(sink.ingestRequests[0]!.body).toEqual([
      { category: 'system.openai', resource: 'gpt-4o', units: { text: { input: 1, output: 2 } }, event_timestamp: '2025-01-01T00:00:00Z', provider_response_id: 'r1', scope: 'region', user_id: 'u1' },
      { category: 'system.anthropic', resource: 'claude', units: {}, event_timestamp: '2025-01-01T00:00:01Z', provider_response_id: 'r2' },
    ]);
  });
});

describe('enforceLimits against a spec-shaped service', () => {
  test.each<['batched' | 'inline']>([['batched'], ['inline']])('%s mode: a call is refused once its limit is blocked, and never reaches the provider', async (mode) => {
    standin = await startStandin([openaiRoute]);
    payiInstrument({ apiKey: KEY, baseUrl: sink.url, logger: silent, instruments: ['openai'], enforceLimits: true, limitIds: ['budget'], ingest: { mode, flushIntervalMs: 5, spillFile: false, limitRefreshMs: 0 } });
    const client = new OpenAI({ apiKey: 'k', baseURL: `${standin.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create(body);
    await flush();
    sink.limitStates = { budget: 'blocked' };
    await client.chat.completions.create(body); // its ingest (inline) or the limit read after it (batched) learns 'blocked'
    await flush();
    expect(standin.requests).toHaveLength(2);
    await expect(client.chat.completions.create(body)).rejects.toBeInstanceOf(PayiLimitBlockedError);
    expect(standin.requests).toHaveLength(2);
    expect(conforming(sink.requests)).toEqual(noProblems(sink.requests));
    if (mode === 'batched') expect(sink.requests.some((r) => r.method === 'GET' && r.path === '/api/v1/limits/budget')).toBe(true);
    else expect(sink.requests.some((r) => r.method === 'GET')).toBe(false);
  });
});
