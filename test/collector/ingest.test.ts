import { call, event, startTestCollector } from './support';

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
      [{ event_timestamp: 'yesterday' }, 'event_timestamp must match format "date-time"'],
      [{ limit_ids: 'a,b' }, 'limit_ids must be array'],
      [{ use_case_name: 'my case' }, 'use_case_name "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _'],
    ];
    for (const [over, message] of cases) {
      const r = await call(c.url, 'POST', '/api/v1/ingest', JSON.parse(JSON.stringify(event(over))));
      expect({ status: r.status, error: r.body.xproxy_error?.message }).toEqual({ status: 400, error: message });
    }
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });

  test('a body that is not JSON gets 400 invalid_json', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest', '{"category": ');
    expect(r.status).toBe(400);
    expect(r.body.xproxy_error.code).toBe('invalid_json');
  });

  test('attribution headers (what inline delivery sends) win over the body, and ?id= names the response id', async () => {
    const props = Buffer.from(JSON.stringify({ tier: 'gold' })).toString('base64');
    const r = await call(c.url, 'POST', '/api/v1/ingest?id=resp-9', event({ user_id: 'body-user' }), {
      'xProxy-User-ID': 'header-user',
      'xProxy-Limit-IDs': 'l1, l2',
      'xProxy-UseCase-Name': 'chat',
      'xProxy-UseCase-Version': '3',
      'xProxy-Request-Properties': props,
    });
    expect(r.status).toBe(200);
    const row = c.db.prepare('SELECT user_id, use_case_name, use_case_version, provider_response_id, limit_ids_json, properties_json FROM events').get();
    expect(row).toEqual({
      user_id: 'header-user',
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
    expect(r.body.xproxy_error.message).toBe('header xProxy-UseCase-Version "two" is not a positive whole number');
  });

  test('a repeated provider_response_id is stored once and answered with duplicate_request: true', async () => {
    const first = await call(c.url, 'POST', '/api/v1/ingest', event({ provider_response_id: 'msg_dup' }));
    const again = await call(c.url, 'POST', '/api/v1/ingest', event({ provider_response_id: 'msg_dup', units: { text: { input: 5 } } }));
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
    const r = await call(c.url, 'POST', '/api/v1/ingest', event({ use_case_name: 'summarize', provider_request_json: '{"p":1}' }));
    expect(r.body.xproxy_result.use_case_id).toMatch(/^[0-9a-f-]{36}$/);
    const def = await call(c.url, 'GET', '/api/v1/use_cases/definitions/summarize');
    expect(def.status).toBe(200);
    expect(def.body).toMatchObject({ name: 'summarize', logging_enabled: false, version: 1 });
    expect(c.db.prepare('SELECT provider_request_json FROM events').get()).toEqual({ provider_request_json: null });
  });

  test('prompts and responses are stored only for use cases with logging enabled (and not with xProxy-Logging-Disable)', async () => {
    await call(c.url, 'POST', '/api/v1/use_cases/definitions', { name: 'logged', logging_enabled: true });
    const body = { provider_request_json: '{"messages":[]}', provider_response_json: '{"id":"x"}' };
    await call(c.url, 'POST', '/api/v1/ingest', event({ use_case_name: 'logged', provider_response_id: 'a', ...body }));
    await call(c.url, 'POST', '/api/v1/ingest', event({ use_case_name: 'logged', provider_response_id: 'b', ...body }), { 'xProxy-Logging-Disable': 'True' });
    await call(c.url, 'POST', '/api/v1/ingest', event({ provider_response_id: 'c', ...body }));
    const rows = c.db.prepare('SELECT provider_response_id AS id, provider_request_json AS req, provider_response_json AS res FROM events ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'a', req: '{"messages":[]}', res: '{"id":"x"}' },
      { id: 'b', req: null, res: null },
      { id: 'c', req: null, res: null },
    ]);
  });
});

describe('POST /api/v1/ingest/bulk', () => {
  test('stores the valid items and answers 400 per malformed item', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', {
      events: [event({ provider_response_id: 'ok-1' }), event({ units: 'none' }), 'text', event({ provider_response_id: 'ok-2', user_id: 'u1' }), event({ use_case_name: 'a/b' })],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: unknown) => (x === null ? null : 'stored'))).toEqual(['stored', null, null, 'stored', null]);
    expect(r.body.errors).toEqual([
      { index: 1, status: 400, code: 'invalid_event', message: 'units must be object' },
      { index: 2, status: 400, code: 'invalid_event', message: 'events[2] is not an object' },
      { index: 4, status: 400, code: 'invalid_event', message: 'use_case_name "a/b" has the character "/"; use 1-64 of A-Z a-z 0-9 . - _' },
    ]);
    const ids = c.db.prepare('SELECT provider_response_id AS id FROM events ORDER BY id').all();
    expect(ids).toEqual([{ id: 'ok-1' }, { id: 'ok-2' }]);
  });

  test('answers 400 when every item is malformed, and 200 for an empty list', async () => {
    const bad = await call(c.url, 'POST', '/api/v1/ingest/bulk', { events: [{}, { category: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.results).toEqual([null, null]);
    expect(bad.body.errors.map((e: { message: string }) => e.message)).toEqual(['category is missing', 'units is missing']);
    const empty = await call(c.url, 'POST', '/api/v1/ingest/bulk', { events: [] });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ results: [], errors: [] });
  });

  test('a body without events gets 400 naming it', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', { items: [] });
    expect(r.status).toBe(400);
    expect(r.body.xproxy_error.message).toBe('events is missing');
  });

  test('duplicates inside one batch and across batches are stored once', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', { events: [event({ provider_response_id: 'same' }), event({ provider_response_id: 'same' })] });
    expect(r.body.results[0].duplicate_request).toBeUndefined();
    expect(r.body.results[1].duplicate_request).toBe(true);
    const r2 = await call(c.url, 'POST', '/api/v1/ingest/bulk', { events: [event({ provider_response_id: 'same' })] });
    expect(r2.body.results[0].duplicate_request).toBe(true);
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
  });
});

describe('GET /api/v1/requests/{id}/result', () => {
  test('returns the stored result and event, and 404 for an unknown id', async () => {
    const r = await call(c.url, 'POST', '/api/v1/ingest', event({ user_id: 'u7', provider_response_id: 'r-1' }));
    const id = r.body.xproxy_result.request_id;
    const got = await call(c.url, 'GET', `/api/v1/requests/${id}/result`);
    expect(got.status).toBe(200);
    expect(got.body.xproxy_result).toEqual(r.body.xproxy_result);
    expect(got.body.event).toMatchObject({ user_id: 'u7', provider_response_id: 'r-1', units: { text: { input: 1000, output: 200 } } });
    const missing = await call(c.url, 'GET', '/api/v1/requests/nope/result');
    expect(missing.status).toBe(404);
    expect(missing.body.xproxy_error).toEqual({ code: 'not_found', message: 'no request with id "nope"' });
  });
});

describe('limits on the collector itself', () => {
  test('a body over the size limit gets 413', async () => {
    const small = await startTestCollector({ bodyLimit: 2048 });
    try {
      const r = await call(small.url, 'POST', '/api/v1/ingest', event({ provider_request_json: 'x'.repeat(5000) }));
      expect(r.status).toBe(413);
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
