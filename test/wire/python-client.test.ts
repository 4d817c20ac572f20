/**
 * A client of the hosted API works against the collector unchanged: requests exactly as Pay-i's
 * Python SDK (0.1.0a177, `../shared/docs/reference-python.md` §4, §6) sends them are accepted,
 * stored with every field, and answered in the spec's shapes.
 */
import { type Answer, call, startTestCollector } from '../collector/support';
import { requestProblems, responseProblems } from './openapi';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeEach(async () => {
  c = await startTestCollector({ apiKey: 'payi-python-key' });
});
afterEach(async () => {
  await c.close();
});

/** What the generated (Stainless) Python client puts on every request. */
const STAINLESS = {
  'xProxy-api-key': 'payi-python-key',
  'User-Agent': 'Payi/Python 0.1.0-alpha.177',
  Accept: 'application/json',
  'X-Stainless-Lang': 'python',
  'X-Stainless-Package-Version': '0.1.0-alpha.177',
  'X-Stainless-OS': 'Linux',
  'X-Stainless-Arch': 'x64',
  'X-Stainless-Runtime': 'CPython',
  'X-Stainless-Runtime-Version': '3.12.3',
  'X-Stainless-Retry-Count': '0',
};

/** Sends a request the way the Python client does and checks the answer against the spec. */
async function python(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const r = await call(c.url, method, path, body, { ...STAINLESS, ...headers });
  expect(responseProblems(method, path, r.status, r.body === '' ? undefined : r.body)).toEqual([]);
  return r;
}

/** `ingest.units()` of the instrumentation after an OpenAI chat completion (every body field it can fill). */
const INGEST_BODY = {
  category: 'system.openai',
  resource: 'gpt-4o-mini',
  units: { text: { input: 1000, output: 200 }, text_cache_read: { input: 24 } },
  event_timestamp: '2025-09-01T12:00:00.123456+00:00',
  end_to_end_latency_ms: 812,
  time_to_first_token_ms: 95,
  time_to_first_completion_token_ms: 130,
  http_status_code: 200,
  provider_uri: 'https://api.openai.com/v1',
  provider_request_headers: [{ name: 'x-custom', value: 'keep' }],
  provider_request_json: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}',
  provider_request_reasoning_json: '{"effort":"low"}',
  provider_response_json: ['{"id":"chatcmpl-py1","choices":[]}'],
  provider_response_headers: [{ name: 'x-request-id', value: 'req_1' }],
  provider_response_id: 'chatcmpl-py1',
  provider_response_function_calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
  properties: { 'system.failure': null, team: 'search' },
  use_case_properties: { tier: 'gold' },
};

/** The attribution of that call, as the REST client's `ingest.units()` turns it into headers. */
const INGEST_HEADERS = {
  'xProxy-Limit-IDs': 'limit-a,limit-b',
  'xProxy-UseCase-Name': 'py_app',
  'xProxy-UseCase-ID': 'uc-123',
  'xProxy-UseCase-Version': '2',
  'xProxy-UseCase-Step': 'answer',
  'xProxy-User-ID': 'alice',
  'xProxy-Account-Name': 'acme',
  'xProxy-Resource-Scope': 'datazone',
  'xProxy-Instrumented-Module': 'openai/1.99.9',
};

const COLUMNS = `provider_response_id, source, category, resource, event_timestamp, http_status_code, end_to_end_latency_ms,
  time_to_first_token_ms, time_to_first_completion_token_ms, use_case_name, use_case_id, use_case_version, use_case_step,
  user_id, account_name, resource_scope, provider_uri, input_tokens, output_tokens, units_json, limit_ids_json,
  request_tags_json, properties_json, use_case_properties_json, function_calls_json, request_headers_json,
  response_headers_json, provider_request_json, provider_response_json, provider_request_reasoning_json, instrumented_module`;

const stored = (body: typeof INGEST_BODY, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  provider_response_id: body.provider_response_id,
  source: 'ingest',
  category: 'system.openai',
  resource: 'gpt-4o-mini',
  event_timestamp: body.event_timestamp,
  http_status_code: 200,
  end_to_end_latency_ms: 812,
  time_to_first_token_ms: 95,
  time_to_first_completion_token_ms: 130,
  use_case_name: 'py_app',
  use_case_id: 'uc-123',
  use_case_version: 2,
  use_case_step: 'answer',
  user_id: 'alice',
  account_name: 'acme',
  resource_scope: 'datazone',
  provider_uri: 'https://api.openai.com/v1',
  input_tokens: 1024,
  output_tokens: 200,
  units_json: JSON.stringify(body.units),
  limit_ids_json: '["limit-a","limit-b"]',
  request_tags_json: null,
  properties_json: JSON.stringify(body.properties),
  use_case_properties_json: '{"tier":"gold"}',
  function_calls_json: JSON.stringify(body.provider_response_function_calls),
  request_headers_json: JSON.stringify(body.provider_request_headers),
  response_headers_json: JSON.stringify(body.provider_response_headers),
  provider_request_json: body.provider_request_json,
  provider_response_json: JSON.stringify(body.provider_response_json),
  provider_request_reasoning_json: '{"effort":"low"}',
  instrumented_module: 'openai/1.99.9',
  ...over,
});

describe("Pay-i's Python SDK against the collector", () => {
  test('single ingest: attribution only in xProxy-* headers, ?id=, xProxy-Instrumented-Module; stored with every field', async () => {
    // What the spec says about this exact request: the body conforms; the instrumented-module header
    // and ?id= are not declared, but Pay-i's Python SDK sends them on every ingest, so they are the
    // two names the wire suite tolerates on this operation (PYTHON_SDK_EXTRAS); anything else fails.
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest?id=chatcmpl-py1', headers: INGEST_HEADERS, body: INGEST_BODY })).toEqual([]);
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest?id=chatcmpl-py1&x=1', headers: { ...INGEST_HEADERS, 'xProxy-Other': 'v' }, body: INGEST_BODY })).toEqual([
      'POST /api/v1/ingest: header xproxy-other is not declared by the operation',
      'POST /api/v1/ingest: query parameter x is not declared by the operation',
    ]);
    await python('POST', '/api/v1/use_cases/definitions', { name: 'py_app', description: 'the Python app', logging_enabled: true });
    for (const id of ['limit-a', 'limit-b']) await python('POST', '/api/v1/limits', { limit_name: id, max: 10, limit_type: 'allow', threshold: 0.75, limit_id: id, properties: { owner: 'py' } });

    const r = await python('POST', '/api/v1/ingest?id=chatcmpl-py1', INGEST_BODY, INGEST_HEADERS);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      request_id: expect.any(String),
      ingest_timestamp: expect.any(String),
      event_timestamp: INGEST_BODY.event_timestamp,
      xproxy_result: {
        request_id: r.body.request_id,
        limits: { 'limit-a': { state: 'ok' }, 'limit-b': { state: 'ok' } },
        use_case_name: 'py_app',
        use_case_id: 'uc-123',
        use_case_step: 'answer',
        user_id: 'alice',
        account_name: 'acme',
        cost: { currency: 'usd', input: { base: expect.any(Number) }, output: { base: expect.any(Number) }, total: { base: expect.any(Number) } },
      },
    });
    expect(c.db.prepare(`SELECT ${COLUMNS} FROM events`).all()).toEqual([stored(INGEST_BODY)]);

    // get_context()['last_result'] and the result lookup the Python client offers
    expect((await python('GET', `/api/v1/requests/${r.body.request_id}/result`)).body).toEqual({ xproxy_result: r.body.xproxy_result });
    expect((await python('GET', '/api/v1/requests/provider/system.openai/chatcmpl-py1/result')).body).toEqual({ xproxy_result: r.body.xproxy_result });
    // the limit as limits.retrieve() reads it
    const limit = (await python('GET', '/api/v1/limits/limit-a')).body.limit;
    expect(limit.totals.requests).toEqual({ ok: 1, blocked: 0, blocked_external: 0, exceeded: 0, overrun: 0, failed: 0, total: 1 });
    expect(limit.totals.cost.total.base).toBe(r.body.xproxy_result.cost.total.base);
  });

  test('the retry queue re-sending the same call is answered duplicate_request and stored once', async () => {
    const first = await python('POST', '/api/v1/ingest?id=chatcmpl-py1', INGEST_BODY, INGEST_HEADERS);
    const again = await python('POST', '/api/v1/ingest?id=chatcmpl-py1', INGEST_BODY, { ...INGEST_HEADERS, 'X-Stainless-Retry-Count': '1' });
    expect(again.body.xproxy_result).toEqual({ ...first.body.xproxy_result, duplicate_request: true });
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
  });

  test('bulk: a bare array of BulkIngestRequest with attribution (scope, request_tags) in the body; stored with every field', async () => {
    await python('POST', '/api/v1/use_cases/definitions', { name: 'py_app', description: 'the Python app', logging_enabled: true });
    const { properties: _p, ...rest } = INGEST_BODY;
    const items = [
      {
        ...rest,
        properties: { team: 'search' },
        limit_ids: ['limit-a', 'limit-b'],
        request_tags: ['beta'],
        user_id: 'alice',
        use_case_id: 'uc-123',
        use_case_name: 'py_app',
        use_case_version: 2,
        use_case_step: 'answer',
        account_name: 'acme',
        scope: 'datazone',
      },
      { category: 'system.anthropic', resource: 'claude-3-5-haiku-latest', units: { text: { input: 10, output: 2 } }, provider_response_id: 'msg_py2', user_id: null },
    ];
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest/bulk', body: items })).toEqual([]);
    const r = await python('POST', '/api/v1/ingest/bulk', items);
    expect(r.body).toEqual({ request_id: expect.any(String), ingest_timestamp: expect.any(String), ingest_count: 2, error_count: 0, item_error_count: 0, errors: [], total_count: 2 });
    const rows = c.db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY id`).all() as Record<string, unknown>[];
    expect(rows[0]).toEqual(stored(INGEST_BODY, { properties_json: '{"team":"search"}', request_tags_json: '["beta"]', instrumented_module: null }));
    expect(rows[1]).toMatchObject({ provider_response_id: 'msg_py2', category: 'system.anthropic', user_id: null, input_tokens: 10 });
  });

  test('use cases, KPIs and increment_kpi_score as the Python client calls them', async () => {
    await python('POST', '/api/v1/use_cases/definitions', { name: 'py_app', description: 'the Python app' });
    const kpi = await python('POST', '/api/v1/use_cases/definitions/py_app/kpis', { name: 'helpful', description: 'the user found it helpful', kpi_type: 'number', goal: 5 });
    expect(kpi.body).toMatchObject({ name: 'helpful', kpi_type: 'number', goal: 5 });
    const instance = await python('POST', '/api/v1/use_cases/instances/py_app');
    const id = instance.body.use_case_id as string;
    // increment_kpi_score: read the instance's KPIs, take the current score (0 when none), PUT score + increment
    for (let i = 0; i < 3; i++) {
      const list = await python('GET', `/api/v1/use_cases/instances/py_app/${id}/kpis`);
      const current = (list.body.items as { kpi_name: string; score: number }[]).find((k) => k.kpi_name === 'helpful')?.score ?? 0;
      expect((await python('PUT', `/api/v1/use_cases/instances/py_app/${id}/kpis/helpful`, { score: current + 1 })).status).toBe(200);
    }
    expect((await python('GET', `/api/v1/use_cases/instances/py_app/${id}/kpis`)).body.items).toEqual([expect.objectContaining({ kpi_name: 'helpful', score: 3 })]);
    expect((await python('GET', '/api/v1/use_cases/definitions/py_app')).body).toMatchObject({ name: 'py_app', type_version: 1 });
  });
});
