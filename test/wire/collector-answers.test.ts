/**
 * Every path of Pay-i's OpenAPI document that the collector serves, driven over real HTTP (collector
 * in-process on port 0, SQLite in a temp dir), successes and errors alike: each answer is checked
 * against the response the operation declares for that status (`responseProblems`), so an answer
 * with a field the spec does not declare, a missing required field, or an undeclared status fails.
 */
import { openaiRoute } from '../../samples/standin/openai';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { type Standin, startStandin } from '../../samples/standin/server';
import { type Answer, call, event, startTestCollector } from '../collector/support';
import { matchPath, responseProblems, schemaProblems, spec as spec_ } from './openapi';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c.close();
});

/** Every (operation, status) pair checked, to show what the suite covers. */
const covered = new Set<string>();

/** Sends a request, expects `status`, and checks the answer against the spec's response for it. */
async function spec(method: string, path: string, status: number, body?: unknown, headers: Record<string, string> = {}, base = c.url): Promise<Answer> {
  const r = await call(base, method, path, body, headers);
  const problems = responseProblems(method, path, r.status, r.body === '' ? undefined : r.body);
  expect({ status: r.status, problems }).toEqual({ status, problems: [] });
  covered.add(`${method} ${matchPath(method, path)?.template} ${status}`);
  return r;
}

/**
 * The operations of the document this suite does not drive: the collector does not serve them
 * (categories and resources, Copilot ingest, value scores, limit and instance properties, report
 * ids), or their routes are tested elsewhere (the Azure and Vertex proxy routes).
 */
const NOT_DRIVEN = [
  /^(get|post|delete) \/api\/v1\/categories/,
  /^post \/api\/v1\/ingest\/copilot\//,
  /^get \/api\/v1\/use_cases\/instances\/\{use_case_name\}\/\{use_case_id\}\/value$/,
  /^put \/api\/v1\/(limits\/\{limit_id\}|use_cases\/instances\/\{use_case_name\}\/\{use_case_id\})\/properties$/,
  /^get \/api\/v1\/reports\/\{report_id\}$/,
  /^post \/api\/v1\/proxy\/(azure|google)/,
  /^post \/api\/v1\/proxy\/openai\/v1\/images\/generations$/,
  /^post \/api\/v1\/proxy\/aws\.bedrock\/model\/\{modelId\}\/(converse-stream|invoke|invoke-with-response-stream)$/,
];

const DEFS = '/api/v1/use_cases/definitions';
const INSTANCES = '/api/v1/use_cases/instances';

describe('ingest', () => {
  test('POST /api/v1/ingest: 200 IngestResponse (limits, use case, duplicates, unknown units, warnings) and 400 ProxyApiError', async () => {
    await spec('POST', '/api/v1/limits', 200, { limit_name: 'wire', max: 0.0001, limit_type: 'block', threshold: 0.5, limit_id: 'wire-l' });
    const headers = { 'xProxy-Limit-IDs': 'wire-l,ghost', 'xProxy-UseCase-Name': 'wire', 'xProxy-UseCase-Step': 's1', 'xProxy-User-ID': 'u', 'xProxy-Account-Name': 'a', 'xProxy-Instrumented-Module': 'openai/1.99.0' };
    const first = await spec('POST', '/api/v1/ingest?id=wire-1', 200, event({ resource: 'some-unpriced-model' }), headers);
    expect(first.body.xproxy_result).toMatchObject({ limits: { 'wire-l': { state: 'ok' }, ghost: { state: 'failed' } }, unknown_units: expect.any(Object), warnings: [expect.any(String)] });
    await spec('POST', '/api/v1/ingest?id=wire-2', 200, event(), headers);
    const dup = await spec('POST', '/api/v1/ingest?id=wire-2', 200, event(), headers);
    expect(dup.body.xproxy_result.duplicate_request).toBe(true);
    expect(dup.body.xproxy_result.blocked_limit_ids).toEqual(['wire-l']);
    await spec('POST', '/api/v1/ingest', 400, event({ units: { text: { input: 2 ** 31 } } }));
    await spec('POST', '/api/v1/ingest', 400, event(), { 'xProxy-UseCase-Version': 'x' });
    await spec('POST', '/api/v1/ingest', 400, event(), { 'xProxy-UseCase-Name': 'bad name' });
    await spec('POST', '/api/v1/ingest', 400, '{"category":');
  });

  test.each(['/api/v1/ingest/bulk', '/api/v1/ingest/bulk-upsert'])('POST %s: 200 and 400 are BulkIngestResponse', async (path) => {
    await spec('POST', path, 200, [event({ provider_response_id: `${path}-1`, scope: 'global', limit_ids: ['wire-l'] }), { category: 'x' }, 7]);
    await spec('POST', path, 200, []);
    await spec('POST', path, 400, [{ units: {} }]);
    await spec('POST', path, 400, { not: 'an array' });
    await spec('POST', path, 400, '[{"category":');
  });
});

describe('use cases and KPIs', () => {
  test('definitions: create, list, get, update, increment_version, limit_config, delete, with their errors', async () => {
    await spec('POST', DEFS, 200, { name: 'wire-uc', description: 'wire suite', logging_enabled: true, limit_config: { max: 5, limit_type: 'allow' } });
    await spec('POST', DEFS, 400, { name: 'wire-uc', description: 'again' });
    await spec('POST', DEFS, 400, { name: 'no description' });
    await spec('GET', DEFS, 200);
    await spec('GET', `${DEFS}?limit=1&sort_ascending=false`, 200);
    await spec('GET', `${DEFS}?limit=zero`, 400);
    await spec('GET', `${DEFS}/wire-uc`, 200);
    await spec('GET', `${DEFS}/wire`, 200); // created by an ingested event: a description is still given
    await spec('GET', `${DEFS}/none`, 404);
    await spec('GET', `${DEFS}/bad%20name`, 400);
    await spec('PUT', `${DEFS}/wire-uc`, 200, { description: 'changed', logging_enabled: null });
    await spec('PUT', `${DEFS}/none`, 404, { description: 'x' });
    await spec('POST', `${DEFS}/wire-uc/increment_version`, 200);
    await spec('POST', `${DEFS}/none/increment_version`, 404);
    await spec('POST', `${DEFS}/wire-uc/limit_config`, 200, { max: 3, threshold: 0.5 });
    await spec('POST', `${DEFS}/wire-uc/limit_config`, 400, { threshold: 0.5 });
    await spec('DELETE', `${DEFS}/wire-uc/limit_config`, 200);
    await spec('DELETE', `${DEFS}/none/limit_config`, 404);
  });

  test('KPIs of a definition and KPI scores of an instance', async () => {
    await spec('POST', DEFS, 200, { name: 'wire-kpi', description: 'kpis' });
    await spec('POST', `${DEFS}/wire-kpi/kpis`, 200, { name: 'nps', description: 'net promoter', kpi_type: 'likert10', goal: 8 });
    await spec('POST', `${DEFS}/wire-kpi/kpis`, 400, { name: 'nps', description: 'again', kpi_type: 'likert10', goal: 8 });
    await spec('POST', `${DEFS}/wire-kpi/kpis`, 400, { kpi_name: 'old-shape' });
    await spec('POST', `${DEFS}/none/kpis`, 404, { name: 'k', description: 'd', kpi_type: 'number', goal: 1 });
    await spec('GET', `${DEFS}/wire-kpi/kpis`, 200);
    await spec('GET', `${DEFS}/none/kpis`, 404);
    await spec('GET', `${DEFS}/wire-kpi/kpis/nps`, 200);
    await spec('GET', `${DEFS}/wire-kpi/kpis/none`, 404);
    await spec('PUT', `${DEFS}/wire-kpi/kpis/nps`, 200, { goal: 9 });
    await spec('PUT', `${DEFS}/wire-kpi/kpis/none`, 404, { goal: 9 });
    const inst = await spec('POST', `${INSTANCES}/wire-kpi`, 200);
    await spec('POST', `${INSTANCES}/bad%20name`, 400);
    const id = inst.body.use_case_id as string;
    await spec('GET', `${INSTANCES}/wire-kpi/${id}`, 200);
    await spec('GET', `${INSTANCES}/wire-kpi/none`, 404);
    await spec('PUT', `${INSTANCES}/wire-kpi/${id}/kpis/nps`, 200, { score: 7 });
    await spec('PUT', `${INSTANCES}/wire-kpi/${id}/kpis/nps`, 400, { score: 'seven' });
    await spec('PUT', `${INSTANCES}/wire-kpi/${id}/kpis/none`, 404, { score: 7 });
    await spec('GET', `${INSTANCES}/wire-kpi/${id}/kpis`, 200);
    await spec('DELETE', `${DEFS}/wire-kpi/kpis/nps`, 200);
    await spec('DELETE', `${DEFS}/wire-kpi/kpis/nps`, 404);
    await spec('DELETE', `${INSTANCES}/wire-kpi/${id}`, 200);
    await spec('DELETE', `${INSTANCES}/wire-kpi/${id}`, 404);
    await spec('DELETE', `${DEFS}/wire-kpi`, 200);
    await spec('DELETE', `${DEFS}/wire-kpi`, 404);
  });
});

describe('limits', () => {
  test('create, list, get, update, reset, delete, with their errors', async () => {
    await spec('POST', '/api/v1/limits', 200, { limit_name: 'wire-2', max: 10, limit_id: 'wire-2', properties: { team: 'a' } });
    await spec('POST', '/api/v1/limits', 400, { limit_name: 'wire-2', max: 10, limit_id: 'wire-2' });
    await spec('POST', '/api/v1/limits', 400, { max: 10 });
    await spec('GET', '/api/v1/limits', 200);
    await spec('GET', '/api/v1/limits?limit=1&limit_name=wire', 200);
    await spec('GET', '/api/v1/limits?cursor=x', 400);
    await spec('GET', '/api/v1/limits/wire-l', 200);
    await spec('GET', '/api/v1/limits/none', 400);
    await spec('PUT', '/api/v1/limits/wire-2', 200, { max: 20, limit_name: null });
    await spec('PUT', '/api/v1/limits/none', 400, { max: 20 });
    await spec('POST', '/api/v1/limits/wire-l/reset', 200);
    await spec('POST', '/api/v1/limits/wire-l/reset?resetDate=2025-01-01T00:00:00Z', 200);
    await spec('POST', '/api/v1/limits/wire-l/reset?resetDate=soon', 400);
    await spec('POST', '/api/v1/limits/none/reset', 400);
    await spec('DELETE', '/api/v1/limits/wire-2', 200);
    await spec('DELETE', '/api/v1/limits/wire-2', 400);
  });
});

describe('requests', () => {
  test('result and properties, by request id and by provider response id', async () => {
    const r = await spec('POST', '/api/v1/ingest?id=wire-req', 200, event({ properties: { a: '1' } }), { 'xProxy-UseCase-Name': 'wire' });
    const id = r.body.request_id as string;
    await spec('GET', `/api/v1/requests/${id}/result`, 200);
    await spec('GET', '/api/v1/requests/none/result', 404);
    await spec('GET', '/api/v1/requests/provider/system.openai/wire-req/result', 200);
    await spec('GET', '/api/v1/requests/provider/system.openai/none/result', 404);
    await spec('PUT', `/api/v1/requests/${id}/properties`, 200, { properties: { b: '2' } });
    await spec('PUT', `/api/v1/requests/${id}/properties`, 400, { props: {} });
    await spec('PUT', '/api/v1/requests/none/properties', 404, { properties: {} });
    await spec('PUT', '/api/v1/requests/provider/system.openai/wire-req/properties', 200, { properties: { a: null } });
    await spec('PUT', '/api/v1/requests/provider/system.openai/none/properties', 404, { properties: {} });
  });
});

describe('proxy routes', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin([openaiRoute, anthropicRoute]);
  });
  afterAll(async () => {
    await standin.close();
  });

  test('a bad xProxy header is a 400 ProxyApiError on every proxy route', async () => {
    for (const path of ['/api/v1/proxy/openai/v1/chat/completions', '/api/v1/proxy/openai/v1/embeddings', '/api/v1/proxy/openai/v1/responses', '/api/v1/proxy/anthropic/v1/messages', '/api/v1/proxy/aws.bedrock/model/m/converse']) {
      await spec('POST', path, 400, { model: 'm' }, { 'xProxy-UseCase-Version': 'two' });
      await spec('POST', path, 400, { model: 'm' }, { 'xProxy-Provider-BaseUri': 'ftp://nowhere' });
    }
  });

  test("a proxied JSON answer carries xproxy_result as a ProxyResult (the spec's 200 schema cannot hold the provider's own fields)", async () => {
    for (const [path, body] of [
      ['/api/v1/proxy/openai/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }],
      ['/api/v1/proxy/anthropic/v1/messages', { model: 'claude-3-5-haiku-latest', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }],
    ] as const) {
      const r = await call(c.url, 'POST', path, body, { 'xProxy-Provider-BaseUri': standin.url, 'xProxy-UseCase-Name': 'wire', 'x-api-key': 'k', authorization: 'Bearer k' });
      expect(r.status).toBe(200);
      expect(schemaProblems('PayI.Common.Models.Proxy.ProxyResult', r.body.xproxy_result)).toEqual([]);
      expect(r.body.xproxy_result.use_case_name).toBe('wire');
    }
  });
});

describe('with an API key', () => {
  test('a request without it is a 401 ApiError on every kind of operation', async () => {
    const keyed = await startTestCollector({ apiKey: 'wire-key' });
    try {
      for (const [method, path, body] of [
        ['POST', '/api/v1/ingest', event()],
        ['POST', '/api/v1/ingest/bulk', [event()]],
        ['POST', '/api/v1/ingest/bulk-upsert', [event()]],
        ['GET', DEFS, undefined],
        ['GET', `${DEFS}/x/kpis`, undefined],
        ['PUT', `${INSTANCES}/x/y/kpis/z`, { score: 1 }],
        ['GET', '/api/v1/limits', undefined],
        ['GET', '/api/v1/requests/x/result', undefined],
        ['POST', '/api/v1/proxy/openai/v1/chat/completions', { model: 'm' }],
      ] as const) {
        await spec(method, path, 401, body, {}, keyed.url);
      }
    } finally {
      await keyed.close();
    }
  });
});

describe("the collector's extensions", () => {
  test('statuses the spec does not declare (413, 424, 502, 404 for an unknown route) still answer an ApiError body', async () => {
    const small = await startTestCollector({ bodyLimit: 2048 });
    try {
      const big = await call(small.url, 'POST', '/api/v1/ingest', event({ provider_request_json: 'x'.repeat(5000) }));
      expect({ status: big.status, problems: schemaProblems('PayI.Common.Models.ApiError', big.body) }).toEqual({ status: 413, problems: [] });
    } finally {
      await small.close();
    }
    const unreachable = await call(c.url, 'POST', '/api/v1/proxy/openai/v1/chat/completions', { model: 'm' }, { 'xProxy-Provider-BaseUri': 'http://127.0.0.1:1' });
    expect({ status: unreachable.status, problems: schemaProblems('PayI.Common.Models.ApiError', unreachable.body) }).toEqual({ status: 502, problems: [] });
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'zero', max: 0, limit_type: 'block', limit_id: 'zero' });
    const blocked = await call(c.url, 'POST', '/api/v1/proxy/openai/v1/chat/completions', { model: 'm' }, { 'xProxy-Limit-IDs': 'zero' });
    expect({ status: blocked.status, problems: schemaProblems('PayI.Common.Models.ProxyApiError', blocked.body) }).toEqual({ status: 424, problems: [] });
    const unknown = await call(c.url, 'GET', '/api/v1/nothing');
    expect({ status: unknown.status, problems: schemaProblems('PayI.Common.Models.ApiError', unknown.body) }).toEqual({ status: 404, problems: [] });
  });

  test('every other operation of the document was driven and checked above', () => {
    const operations = Object.entries(spec_.paths).flatMap(([template, ops]) => Object.keys(ops).map((m) => `${m} ${template}`));
    const driven = new Set([...covered].map((k) => k.split(' ').slice(0, 2).join(' ').replace(/^\w+/, (m) => m.toLowerCase())));
    expect(operations.filter((op) => !NOT_DRIVEN.some((re) => re.test(op)) && !driven.has(op))).toEqual([]);
  });
});
