import { call, event, ingest, startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

// gpt-4o-mini: $0.15 input, $0.60 output per million tokens
const MINI = { input: 1000 * 0.15e-6, output: 200 * 0.6e-6 };

describe('POST /api/v1/ingest', () => {
  test('stores the event and answers with its request id and cost', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest', event({ provider_response_id: 'chatcmpl-1' }));
    expect(r.status).toBe(200);
    const x = r.body.xproxy_result;
    expect(x.request_id).toEqual(expect.any(String));
    expect(x.cost.currency).toBe('usd');
    expect(x.cost.input.base).toBeCloseTo(MINI.input, 12);
    expect(x.cost.output.base).toBeCloseTo(MINI.output, 12);
    expect(x.cost.total.base).toBeCloseTo(MINI.input + MINI.output, 12);
    const row = c.db.prepare('SELECT * FROM events WHERE request_id = ?').get(x.request_id) as Record<string, unknown>;
    expect(row).toMatchObject({ provider_response_id: 'chatcmpl-1', category: 'system.openai', resource: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 200 });
  });

  test('a malformed event gets 400 naming the field, and nothing is stored', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ category: undefined }, 'category is missing'],
      [{ units: { text: { input: 'many' } } }, 'units.text.input must be integer'],
      [{ units: { text: { input: -1 } } }, 'units.text.input must be >= 0'],
      [{ units: { text: { input: 2_147_483_648 } } }, 'units.text.input must be <= 2147483647'],
      [{ units: { text: { output: 1.5 } } }, 'units.text.output must be integer'],
      [{ end_to_end_latency_ms: 12.5 }, 'end_to_end_latency_ms must be integer,null'],
      [{ event_timestamp: 'yesterday' }, 'event_timestamp must match format "date-time"'],
      [{ use_case_name: 'my case' }, 'use_case_name "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _'],
    ];
    for (const [over, message] of cases) {
      const r = await ingest(c.url, JSON.parse(JSON.stringify(event(over))));
      expect({ status: r.status, body: r.body }).toEqual({ status: 400, body: { message, statusCode: 400, xproxy_error: { code: expect.any(String), message } } });
    }
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });

  test('a body that is not JSON gets 400 invalid_json', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest', '{"category": ');
    expect(r.status).toBe(400);
    expect(r.body.xproxy_error.code).toBe('invalid_json');
  });

  test('attribution comes from the xProxy-* headers only (the spec has none in IngestRequest), and ?id= names the response id', async () => {
    const props = Buffer.from(JSON.stringify({ tier: 'gold' })).toString('base64');
    const r = await call(c.url, 'POST', '/api/v1/ingest?id=resp-9', event({ user_id: 'body-user', account_name: 'body-account', limit_ids: ['body-limit'] }), {
      'xProxy-User-ID': 'header-user',
      'xProxy-Limit-IDs': 'l1, l2',
      'xProxy-UseCase-Name': 'chat',
      'xProxy-UseCase-Version': '3',
      'xProxy-Request-Properties': props,
    });
    expect(r.status).toBe(200);
    const row = c.db.prepare('SELECT user_id, account_name, use_case_name, use_case_version, provider_response_id, limit_ids_json, properties_json FROM events').get();
    expect(row).toEqual({
      user_id: 'header-user',
      account_name: null,
      use_case_name: 'chat',
      use_case_version: 3,
      provider_response_id: 'resp-9',
      limit_ids_json: '["l1","l2"]',
      properties_json: '{"tier":"gold"}',
    });
  });

  test('a bad attribution header gets 400 naming the header', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest', event(), { 'xProxy-UseCase-Version': 'two' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      message: 'header xProxy-UseCase-Version "two" is not a positive whole number',
      statusCode: 400,
      xproxy_error: { code: 'invalid_header', message: 'header xProxy-UseCase-Version "two" is not a positive whole number' },
    });
  });

  test('a repeated provider_response_id is stored once and answered with duplicate_request: true', async () => {
    const first = await ingest(c.url, event({ provider_response_id: 'msg_dup' }));
    const again = await ingest(c.url, event({ provider_response_id: 'msg_dup', units: { text: { input: 5 } } }));
    expect(again.status).toBe(200);
    expect(again.body.xproxy_result.duplicate_request).toBe(true);
    expect(again.body.xproxy_result.request_id).toBe(first.body.xproxy_result.request_id);
    expect(again.body.xproxy_result.cost).toEqual(first.body.xproxy_result.cost);
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
  });

  test('an unknown model is stored at cost 0 and its units are reported in unknown_units', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest', event({ resource: 'my-finetune-7b', units: { text: { input: 50, output: 7 } } }));
    expect(r.status).toBe(200);
    expect(r.body.xproxy_result.cost.total.base).toBe(0);
    expect(r.body.xproxy_result.unknown_units).toEqual({ text: { input: 50, output: 7 } });
    expect(c.db.prepare('SELECT resource, cost_total, input_tokens FROM events').get()).toEqual({ resource: 'my-finetune-7b', cost_total: 0, input_tokens: 50 });
  });

  test('an event without a resource is stored as system.unknown_model', async () => {
    const ev = event();
    delete ev.resource;
    const r = await call(c.url, 'POST', '/api/v1/ingest', ev);
    expect(r.status).toBe(200);
    expect(c.db.prepare('SELECT resource FROM events').get()).toEqual({ resource: 'system.unknown_model' });
  });

  test('an event naming an unknown use case creates its definition with logging off and gets a use case id', async () => {
    const r = await ingest(c.url, event({ use_case_name: 'summarize', provider_request_json: '{"p":1}' }));
    expect(r.body.xproxy_result.use_case_id).toMatch(/^[0-9a-f-]{36}$/);
    const def = await call(c.url, 'GET', '/api/v1/use_cases/definitions/summarize');
    expect(def.status).toBe(200);
    expect(def.body).toEqual({
      request_id: expect.any(String),
      name: 'summarize',
      description: 'created by the collector when an event named this use case',
      logging_enabled: false,
      type_version: 1,
    });
    expect(c.db.prepare('SELECT provider_request_json FROM events').get()).toEqual({ provider_request_json: null });
  });

  test('prompts and responses are stored only for use cases with logging enabled (and not with xProxy-Logging-Disable)', async () => {
    await call(c.url, 'POST', '/api/v1/use_cases/definitions', { name: 'logged', description: 'logged calls', logging_enabled: true });
    const body = { provider_request_json: '{"messages":[]}', provider_response_json: '{"id":"x"}' };
    await ingest(c.url, event({ use_case_name: 'logged', provider_response_id: 'a', ...body }));
    await ingest(c.url, event({ use_case_name: 'logged', provider_response_id: 'b', ...body }), { 'xProxy-Logging-Disable': 'True' });
    await ingest(c.url, event({ provider_response_id: 'c', ...body }));
    const rows = c.db.prepare('SELECT provider_response_id AS id, provider_request_json AS req, provider_response_json AS res FROM events ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'a', req: '{"messages":[]}', res: '{"id":"x"}' },
      { id: 'b', req: null, res: null },
      { id: 'c', req: null, res: null },
    ]);
  });
});

const itemError = (item_index: number, message: string, code = 'invalid_event') => ({ item_index, xproxy_result: { message, statusCode: 400, xproxy_error: { code, message } } });

describe('POST /api/v1/ingest/bulk', () => {
  test('takes a bare array, stores the valid items and reports each refused one by item_index', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', [
      event({ provider_response_id: 'ok-1', scope: 'datazone' }),
      event({ units: 'none' }),
      'text',
      event({ provider_response_id: 'ok-2', user_id: 'u1' }),
      event({ use_case_name: 'a/b' }),
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      request_id: expect.any(String),
      ingest_timestamp: expect.any(String),
      ingest_count: 2,
      error_count: 3,
      item_error_count: 3,
      total_count: 5,
      errors: [
        itemError(1, 'units must be object'),
        itemError(2, 'item 2 is not an object'),
        itemError(4, 'use_case_name "a/b" has the character "/"; use 1-64 of A-Z a-z 0-9 . - _'),
      ],
    });
    const rows = c.db.prepare('SELECT provider_response_id AS id, resource_scope, user_id FROM events ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'ok-1', resource_scope: 'datazone', user_id: null },
      { id: 'ok-2', resource_scope: null, user_id: 'u1' },
    ]);
  });

  test('units above 2,147,483,647 or not whole are refused naming the field; null fields mean absent', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', [
      event({ units: { text: { input: 2_147_483_648 } } }),
      event({ units: { text: { input: 2_147_483_647, output: 0 } }, user_id: null, resource: null, provider_response_id: 'max' }),
      event({ units: { text: { output: 0.5 } } }),
    ]);
    expect(r.body.errors).toEqual([itemError(0, 'units.text.input must be <= 2147483647'), itemError(2, 'units.text.output must be integer')]);
    expect(c.db.prepare('SELECT provider_response_id, input_tokens, user_id, resource FROM events').all()).toEqual([
      { provider_response_id: 'max', input_tokens: 2_147_483_647, user_id: null, resource: 'system.unknown_model' },
    ]);
  });

  test('answers 400 (a BulkIngestResponse) when every item is refused, and 200 for an empty array', async () => {
    const bad = await call(c.url, 'POST', '/api/v1/ingest/bulk', [{}, { category: 'x' }]);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ingest_count: 0, error_count: 2, total_count: 2, errors: [itemError(0, 'category is missing'), itemError(1, 'units is missing')] });
    const empty = await call(c.url, 'POST', '/api/v1/ingest/bulk', []);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ ingest_count: 0, error_count: 0, total_count: 0, errors: [] });
  });

  test('a body that is not an array gets 400 saying so; the old { events: [...] } envelope is still read (deprecated)', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', { items: [] });
    expect(r.status).toBe(400);
    const message = 'the body must be a JSON array of BulkIngestRequest items';
    expect(r.body.errors).toEqual([{ xproxy_result: { message, statusCode: 400, xproxy_error: { code: 'invalid_request', message } } }]);
    const old = await call(c.url, 'POST', '/api/v1/ingest/bulk', { events: [event({ provider_response_id: 'old' })] });
    expect({ status: old.status, ingested: old.body.ingest_count }).toEqual({ status: 200, ingested: 1 });
  });

  test('fields the spec does not declare are dropped, as the service drops them (resource_scope is spelt scope)', async () => {
    await call(c.url, 'POST', '/api/v1/ingest/bulk', [event({ provider_response_id: 'x', resource_scope: 'global', bogus: 1 })]);
    expect(c.db.prepare('SELECT resource_scope FROM events').get()).toEqual({ resource_scope: null });
  });

  test('duplicates inside one batch and across batches are stored once and count once', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', [event({ provider_response_id: 'same' }), event({ provider_response_id: 'same' })]);
    expect(r.body).toMatchObject({ ingest_count: 2, error_count: 0 });
    await call(c.url, 'POST', '/api/v1/ingest/bulk', [event({ provider_response_id: 'same' })]);
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
  });
});

describe('POST /api/v1/ingest/bulk-upsert', () => {
  test('replaces the event stored under a provider_response_id, keeping its request id, and recounts its limits', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'l', max: 100, limit_id: 'l' });
    await call(c.url, 'POST', '/api/v1/ingest/bulk', [event({ provider_response_id: 'up', resource: 'gpt-4o', units: { text: { input: 400_000 } }, limit_ids: ['l'] })]);
    const before = c.db.prepare('SELECT request_id FROM events').get() as { request_id: string };
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk-upsert', [
      event({ provider_response_id: 'up', resource: 'gpt-4o', units: { text: { input: 800_000 } }, limit_ids: ['l'], user_id: 'u2' }),
      event({ provider_response_id: 'new' }),
    ]);
    expect(r.body).toMatchObject({ ingest_count: 2, error_count: 0, total_count: 2 });
    expect(c.db.prepare("SELECT request_id, input_tokens, user_id FROM events WHERE provider_response_id = 'up'").all()).toEqual([{ ...before, input_tokens: 800_000, user_id: 'u2' }]);
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2 });
    const limit = (await call(c.url, 'GET', '/api/v1/limits/l')).body.limit;
    expect(limit.totals.cost.total.base).toBeCloseTo(2, 9);
    expect(limit.totals.requests.total).toBe(1);
  });
});

describe('requests', () => {
  test('GET .../requests/{id}/result and .../requests/provider/{category}/{id}/result answer { xproxy_result }; unknown ids 404', async () => {
    const r = await ingest(c.url, event({ user_id: 'u7', provider_response_id: 'r-1' }));
    const id = r.body.xproxy_result.request_id;
    const got = await call(c.url, 'GET', `/api/v1/requests/${id}/result`);
    expect(got).toMatchObject({ status: 200, body: { xproxy_result: r.body.xproxy_result } });
    expect(Object.keys(got.body)).toEqual(['xproxy_result']);
    expect((await call(c.url, 'GET', '/api/v1/requests/provider/system.openai/r-1/result')).body).toEqual({ xproxy_result: r.body.xproxy_result });
    expect((await call(c.url, 'GET', '/api/v1/requests/provider/system.anthropic/r-1/result')).status).toBe(404);
    const missing = await call(c.url, 'GET', '/api/v1/requests/nope/result');
    expect(missing).toMatchObject({ status: 404, body: { message: 'no request with id "nope"', statusCode: 404, xproxy_error: { code: 'not_found', message: 'no request with id "nope"' } } });
  });

  test('PUT .../properties merges the given properties into the stored ones; null removes one', async () => {
    const r = await ingest(c.url, event({ provider_response_id: 'p-1', properties: { a: '1', b: '2' } }));
    const put = await call(c.url, 'PUT', `/api/v1/requests/${r.body.request_id}/properties`, { properties: { b: null, c: '3' } });
    expect(put.body).toEqual({ request_id: r.body.request_id });
    expect(c.db.prepare('SELECT properties_json FROM events').get()).toEqual({ properties_json: '{"a":"1","c":"3"}' });
    await call(c.url, 'PUT', '/api/v1/requests/provider/system.openai/p-1/properties', { properties: { a: null } });
    expect(c.db.prepare('SELECT properties_json FROM events').get()).toEqual({ properties_json: '{"c":"3"}' });
  });
});

describe('limits on the collector itself', () => {
  test('a body over the size limit gets 413', async () => {
    const small = await startTestCollector({ bodyLimit: 2048 });
    try {
      const r = await call(small.url, 'POST', '/api/v1/ingest', event({ provider_request_json: 'x'.repeat(5000) }));
      expect(r.status).toBe(413);
      expect(r.body.statusCode).toBe(413);
      expect(r.body.xproxy_error.code).toBe('payload_too_large');
      expect(r.body.xproxy_error.message).toContain('2048 bytes');
    } finally {
      await small.close();
    }
  });

  test('with an API key, requests without it (or with another) get 401, with it they pass', async () => {
    const keyed = await startTestCollector({ apiKey: 'local-secret' });
    try {
      const none = await call(keyed.url, 'GET', '/api/v1/limits');
      expect(none.status).toBe(401);
      expect(none.body.xproxy_error.code).toBe('unauthorized');
      expect((await call(keyed.url, 'POST', '/api/v1/ingest', event(), { 'xProxy-api-key': 'wrong' })).status).toBe(401);
      expect((await call(keyed.url, 'GET', '/')).status).toBe(401);
      expect((await call(keyed.url, 'POST', '/api/v1/ingest', event(), { 'xProxy-api-key': 'local-secret' })).status).toBe(200);
      expect((await call(keyed.url, 'GET', '/?api_key=local-secret')).status).toBe(200);
      expect(JSON.stringify(none.body)).not.toContain('local-secret');
    } finally {
      await keyed.close();
    }
  });

  test('an unknown route gets 404 in the error shape', async () => {
    const r = await call(c.url, 'GET', '/api/v1/nothing');
    expect(r.status).toBe(404);
    expect(r.body.xproxy_error).toEqual({ code: 'not_found', message: 'no route for GET /api/v1/nothing' });
  });
});
