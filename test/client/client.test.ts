import { inspect } from 'node:util';
import { Payi } from '../../src/client';
import { PayiApiError, PayiConfigError } from '../../src/errors';
import { IngestSink, startSink } from '../support/ingest-sink';

const KEY = 'sk-payi-client-secret-42424242';

describe('Payi REST client', () => {
  let sink: IngestSink;
  let payi: Payi;
  beforeEach(async () => {
    sink = await startSink();
    payi = new Payi({ apiKey: KEY, baseUrl: `${sink.url}/`, maxRetries: 0 });
  });
  afterEach(async () => {
    await sink.stop();
  });

  const last = () => sink.requests[sink.requests.length - 1]!;

  test.each<[string, (p: Payi) => Promise<unknown>, string, string, unknown]>([
    ['useCases.definitions.create', (p) => p.useCases.definitions.create({ name: 'summarize', description: 'Summaries', loggingEnabled: true }), 'POST', '/api/v1/use_cases/definitions', { name: 'summarize', description: 'Summaries', logging_enabled: true }],
    ['useCases.definitions.list', (p) => p.useCases.definitions.list(), 'GET', '/api/v1/use_cases/definitions', undefined],
    ['useCases.definitions.get', (p) => p.useCases.definitions.get('summarize'), 'GET', '/api/v1/use_cases/definitions/summarize', undefined],
    ['useCases.definitions.update', (p) => p.useCases.definitions.update('summarize', { loggingEnabled: false }), 'PUT', '/api/v1/use_cases/definitions/summarize', { logging_enabled: false }],
    ['useCases.definitions.delete', (p) => p.useCases.definitions.delete('summarize'), 'DELETE', '/api/v1/use_cases/definitions/summarize', undefined],
    ['useCases.definitions.incrementVersion', (p) => p.useCases.definitions.incrementVersion('summarize'), 'POST', '/api/v1/use_cases/definitions/summarize/increment_version', undefined],
    ['useCases.create', (p) => p.useCases.create('summarize'), 'POST', '/api/v1/use_cases/instances/summarize', undefined],
    ['useCases.kpis.define', (p) => p.useCases.kpis.define('summarize', { name: 'accepted', description: 'kept', kpiType: 'boolean', goal: 1 }), 'POST', '/api/v1/use_cases/definitions/summarize/kpis', { name: 'accepted', description: 'kept', kpi_type: 'boolean', goal: 1 }],
    ['useCases.kpis.list', (p) => p.useCases.kpis.list('summarize'), 'GET', '/api/v1/use_cases/definitions/summarize/kpis', undefined],
    ['incrementKpiScore', (p) => p.incrementKpiScore({ useCaseName: 'summarize', useCaseId: 'id 1', kpiName: 'accepted', increment: 2.5 }), 'PUT', '/api/v1/use_cases/instances/summarize/id%201/kpis/accepted', { score: 2.5 }],
    ['limits.create', (p) => p.limits.create({ limitName: 'monthly', max: 100, limitType: 'block', threshold: 0.8 }), 'POST', '/api/v1/limits', { limit_name: 'monthly', max: 100, limit_type: 'block', threshold: 0.8 }],
    ['limits.list', (p) => p.limits.list(), 'GET', '/api/v1/limits', undefined],
    ['limits.get', (p) => p.limits.get('lim_1'), 'GET', '/api/v1/limits/lim_1', undefined],
    ['limits.update', (p) => p.limits.update('lim_1', { max: 200, limitName: 'monthly' }), 'PUT', '/api/v1/limits/lim_1', { max: 200, limit_name: 'monthly' }],
    ['limits.reset', (p) => p.limits.reset('lim_1'), 'POST', '/api/v1/limits/lim_1/reset', undefined],
    ['limits.delete', (p) => p.limits.delete('lim_1'), 'DELETE', '/api/v1/limits/lim_1', undefined],
    ['requests.result', (p) => p.requests.result('req_9'), 'GET', '/api/v1/requests/req_9/result', undefined],
  ])('%s sends the right method, path, snake_case body and key, and returns the answer', async (_name, call, method, path, body) => {
    const answer = { answered: path, use_case_id: 'uc_1' };
    sink.route(method, path, () => ({ body: answer }));
    await expect(call(payi)).resolves.toEqual(answer);
    const r = last();
    expect({ method: r.method, path: r.path, body: r.body }).toEqual({ method, path, body });
    expect(r.headers['xproxy-api-key']).toBe(KEY);
    if (body !== undefined) expect(r.headers['content-type']).toBe('application/json');
  });

  test('ingest.units posts an IngestRequest body and the attribution only as the xProxy-* headers the spec declares, and returns xproxy_result', async () => {
    sink.limitStates = { l1: 'exceeded' };
    const event = {
      category: 'system.anthropic', resource: 'claude-3-5-haiku', units: { text: { input: 5, output: 7 } }, event_timestamp: '2025-01-01T00:00:00Z',
      provider_response_id: 'msg_01', limit_ids: ['l1', 'l2'], request_tags: ['a', 'b'], use_case_name: 'chat', use_case_id: 'u-1', use_case_version: 3,
      use_case_step: 'draft', user_id: 'user@x', account_name: 'acme', resource_scope: 'global', properties: { k: 'v' },
    };
    await expect(payi.ingest.units(event)).resolves.toEqual({ request_id: 'req_1', limits: { l1: { state: 'exceeded' } } });
    const r = last();
    expect(r.path).toBe('/api/v1/ingest');
    expect(r.query).toEqual({ id: 'msg_01' });
    expect(r.body).toEqual({
      category: 'system.anthropic', resource: 'claude-3-5-haiku', units: { text: { input: 5, output: 7 } }, event_timestamp: '2025-01-01T00:00:00Z',
      provider_response_id: 'msg_01', properties: { k: 'v' },
    });
    expect(Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.startsWith('xproxy-') && k !== 'xproxy-api-key'))).toEqual({
      'xproxy-limit-ids': 'l1,l2', 'xproxy-usecase-name': 'chat', 'xproxy-usecase-id': 'u-1', 'xproxy-usecase-version': '3',
      'xproxy-usecase-step': 'draft', 'xproxy-user-id': 'user@x', 'xproxy-account-name': 'acme', 'xproxy-resource-scope': 'global',
      'xproxy-instrumented-module': 'payi-instrument/0.1.0',
    });
  });

  test('ingest.bulk sends a bare array (scope as `scope`) and returns the BulkIngestResponse, also when every item was refused (400)', async () => {
    sink.behaviour = { kind: 'items', error: (e) => (e.resource === 'bad' ? { status: 400, code: 'invalid_event', message: 'resource is bad' } : undefined) };
    const ok = { category: 'system.openai', resource: 'gpt-4o', units: {}, event_timestamp: '2025-01-01T00:00:00Z', resource_scope: 'global', user_id: 'u1' };
    const bad = { ...ok, resource: 'bad' };
    const refused = { item_index: 1, xproxy_result: { message: 'resource is bad', statusCode: 400, xproxy_error: { code: 'invalid_event', message: 'resource is bad' } } };
    await expect(payi.ingest.bulk([ok, bad])).resolves.toEqual({
      request_id: expect.any(String), ingest_timestamp: expect.any(String), ingest_count: 1, error_count: 1, item_error_count: 1, total_count: 2, errors: [refused],
    });
    const item = { category: 'system.openai', resource: 'gpt-4o', units: {}, event_timestamp: '2025-01-01T00:00:00Z', scope: 'global', user_id: 'u1' };
    expect(last().body).toEqual([item, { ...item, resource: 'bad' }]);
    await expect(payi.ingest.bulk([bad])).resolves.toMatchObject({ ingest_count: 0, errors: [{ ...refused, item_index: 0 }] });
  });

  test('ingest.bulkUpsert posts the same bare array to /api/v1/ingest/bulk-upsert', async () => {
    const ok = { category: 'system.openai', resource: 'gpt-4o', units: {}, event_timestamp: '2025-01-01T00:00:00Z', provider_response_id: 'chatcmpl-1' };
    await expect(payi.ingest.bulkUpsert([ok])).resolves.toMatchObject({ ingest_count: 1, errors: [] });
    expect({ path: last().path, body: last().body }).toEqual({ path: '/api/v1/ingest/bulk-upsert', body: [ok] });
  });

  test('a 4xx throws PayiApiError with the status, code, message and request id of the service', async () => {
    sink.route('GET', '/api/v1/limits/nope', () => ({ status: 404, body: { xproxy_error: { code: 'limit_not_found', message: 'no limit nope' }, request_id: 'req_404' } }));
    const err = await payi.limits.get('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayiApiError);
    expect(err).toMatchObject({ status: 404, code: 'limit_not_found', requestId: 'req_404' });
    expect((err as Error).message).toBe('Pay-i API GET /api/v1/limits/nope: answered 404: no limit nope');

    sink.route('POST', '/api/v1/use_cases/definitions', () => ({ status: 409, body: { message: 'summarize exists' }, headers: { 'x-request-id': 'req_h' } }));
    await expect(payi.useCases.definitions.create({ name: 'summarize', description: 'Summaries' })).rejects.toMatchObject({ status: 409, message: expect.stringContaining('summarize exists'), requestId: 'req_h' });
    expect(sink.requests).toHaveLength(2);
  });

  test("the spec's ApiError and ProxyApiError become PayiApiError, with requestId from xproxy_result.request_id", async () => {
    sink.route('GET', '/api/v1/limits/gone', () => ({ status: 400, body: { message: 'limit gone was deleted', statusCode: 400, xproxy_error: { code: 'limit_deleted', message: 'deleted' } } }));
    await expect(payi.limits.get('gone')).rejects.toMatchObject({ name: 'PayiApiError', status: 400, code: 'limit_deleted', message: 'Pay-i API GET /api/v1/limits/gone: answered 400: deleted' });
    sink.next({ kind: 'status', status: 400, body: { message: 'units is malformed', statusCode: 400, xproxy_error: { code: 'invalid_units' }, xproxy_result: { request_id: 'req_proxy_1' } } });
    const err = await payi.ingest.units({ category: 'system.openai', resource: 'gpt-4o', units: {}, event_timestamp: '2025-01-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayiApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_units', requestId: 'req_proxy_1', message: 'Pay-i API POST /api/v1/ingest: answered 400: units is malformed' });
  });

  test.each<[string, (p: Payi) => Promise<unknown>, string]>([
    ['definitions.create without description', (p) => p.useCases.definitions.create({ name: 'summarize' } as never), 'payi.useCases.definitions.create: description is missing; expected a non-empty string'],
    ['kpis.define without kpiType', (p) => p.useCases.kpis.define('summarize', { name: 'accepted', description: 'kept', goal: 1 } as never), 'payi.useCases.kpis.define: kpiType is missing; expected boolean, number, percentage, likert5, likert7, likert10'],
    ['kpis.define with the old kpiName', (p) => p.useCases.kpis.define('summarize', { kpiName: 'accepted', description: 'kept' } as never), 'payi.useCases.kpis.define: kpiName "accepted" is invalid; expected no kpiName: the operation takes only name, description, kpiType, goal'],
    ['limits.create without max', (p) => p.limits.create({ limitName: 'monthly' } as never), 'payi.limits.create: max is missing; expected a number of USD >= 0'],
    ['limits.update with limitType (UpdateLimit has only max and limit_name)', (p) => p.limits.update('lim_1', { limitType: 'block' } as never), 'payi.limits.update: limitType "block" is invalid; expected no limitType: the operation takes only max, limitName'],
    ['limits.update with nothing to change', (p) => p.limits.update('lim_1', {}), 'payi.limits.update: max or limitName is missing; expected at least one of max, limitName'],
  ])('%s is a PayiConfigError naming what is wrong, and nothing is sent', (_name, call, message) => {
    expect(() => call(payi)).toThrow(PayiConfigError);
    expect(() => call(payi)).toThrow(message);
    expect(sink.requests).toEqual([]);
  });

  test('5xx answers are retried (honouring Retry-After) up to maxRetries, then succeed', async () => {
    let n = 0;
    sink.route('GET', '/api/v1/limits', () => (++n < 3 ? { status: 503, body: { message: 'busy' }, headers: { 'retry-after': '0' } } : { body: { limits: [] } }));
    const client = new Payi({ apiKey: KEY, baseUrl: sink.url });
    await expect(client.limits.list()).resolves.toEqual({ limits: [] });
    expect(n).toBe(3);
  });

  test('a 5xx that keeps failing throws after 1 + maxRetries attempts; a 400 is not retried', async () => {
    let n = 0;
    sink.route('GET', '/api/v1/limits', () => (n++, { status: 500, body: { xproxy_error: { code: 'internal', message: 'boom' } }, headers: { 'retry-after-ms': '1' } }));
    await expect(new Payi({ baseUrl: sink.url, maxRetries: 3 }).limits.list()).rejects.toMatchObject({ status: 500, code: 'internal' });
    expect(n).toBe(4);
    let m = 0;
    sink.route('POST', '/api/v1/limits/x/reset', () => (m++, { status: 400, body: { message: 'no' } }));
    await expect(new Payi({ baseUrl: sink.url, maxRetries: 3 }).limits.reset('x')).rejects.toMatchObject({ status: 400 });
    expect(m).toBe(1);
  });

  test('connection errors are retried, then thrown as PayiApiError with code api_connection_error', async () => {
    await sink.down();
    let calls = 0;
    const logged: string[] = [];
    const log = (m: unknown) => logged.push(String(m));
    const client = new Payi({ apiKey: KEY, baseUrl: sink.url, maxRetries: 1, fetch: (...a) => (calls++, fetch(...a)), logger: { error: log, warn: log, info: log, debug: log } });
    const err = await client.requests.result('req_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayiApiError);
    expect(err).toMatchObject({ code: 'api_connection_error', status: undefined });
    expect((err as Error).message).toMatch(/GET \/api\/v1\/requests\/req_1\/result: connection failed \(ECONNREFUSED\)/);
    expect(calls).toBe(2);
    expect(logged.join('\n')).toContain('retrying');
    expect(logged.join('\n')).not.toContain(KEY);
  });

  test('a request slower than timeoutMs fails with code timeout', async () => {
    sink.behaviour = { kind: 'slow', ms: 400 };
    const client = new Payi({ baseUrl: sink.url, timeoutMs: 50, maxRetries: 0 });
    await expect(client.ingest.bulk([])).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('no answer within 50 ms') });
  });

  test('the API key is sent but never shown: not in errors (even echoed by the service), inspect or JSON', async () => {
    sink.route('GET', '/api/v1/limits', () => ({ status: 401, body: { xproxy_error: { code: 'unauthorized', message: `invalid key ${KEY}` } } }));
    const err = (await payi.limits.list().catch((e: unknown) => e)) as PayiApiError;
    expect(last().headers['xproxy-api-key']).toBe(KEY);
    expect(err.message).toContain('invalid key ***4242');
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain(KEY);
    expect(inspect(payi)).not.toContain(KEY);
    expect(JSON.stringify(payi)).not.toContain(KEY);
  });

  test('bad arguments throw PayiConfigError naming the argument, the value and what was expected', () => {
    expect(() => new Payi({ baseUrl: 'ftp://x' })).toThrow(PayiConfigError);
    expect(() => new Payi({ baseUrl: 'not a url' })).toThrow(/baseUrl "not a url" is invalid; expected an http\(s\) URL/);
    expect(() => new Payi({ maxRetries: -1 })).toThrow(/maxRetries -1 is invalid; expected a whole number >= 0/);
    expect(() => payi.useCases.definitions.get('my case')).toThrow(/payi.useCases.definitions.get: name "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _/);
    expect(() => payi.limits.create({ limitName: 'm', max: 5, limitType: 'stop' as never })).toThrow(/limitType "stop" is invalid; expected 'block' or 'allow'/);
    expect(() => payi.limits.create({ limitName: 'm', max: -1 })).toThrow(/max -1 is invalid; expected a number >= 0/);
    expect(sink.requests).toEqual([]);
  });

  test('apiKey and baseUrl fall back to PAYI_API_KEY and PAYI_BASE_URL', async () => {
    const saved = { key: process.env.PAYI_API_KEY, url: process.env.PAYI_BASE_URL };
    process.env.PAYI_API_KEY = 'sk-from-env-1234';
    process.env.PAYI_BASE_URL = sink.url;
    try {
      const client = new Payi();
      expect(client.baseUrl).toBe(sink.url);
      await client.requests.result('r1');
      expect(last().headers['xproxy-api-key']).toBe('sk-from-env-1234');
    } finally {
      if (saved.key === undefined) delete process.env.PAYI_API_KEY;
      else process.env.PAYI_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.PAYI_BASE_URL;
      else process.env.PAYI_BASE_URL = saved.url;
    }
  });
});
