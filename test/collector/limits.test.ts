import { call, event, ingest, startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

// gpt-4o: $2.50 per million input tokens → 400,000 input tokens cost $1.00
const oneDollar = (over: Record<string, unknown> = {}): Record<string, unknown> => event({ resource: 'gpt-4o', units: { text: { input: 400_000 } }, ...over });
const counts = (over: Record<string, number> = {}) => ({ ok: 0, blocked: 0, blocked_external: 0, exceeded: 0, overrun: 0, failed: 0, total: 0, ...over });
const apiError = (statusCode: number, code: string, message: string) => ({ message, statusCode, xproxy_error: { code, message } });

describe('limits CRUD', () => {
  test('create, get, list, update, reset and delete a limit, in the spec shapes', async () => {
    const created = await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'daily', max: 10, limit_type: 'block', threshold: 0.8, limit_id: 'daily-1' });
    expect(created.status).toBe(200);
    const limit = {
      limit_id: 'daily-1',
      limit_name: 'daily',
      max: 10,
      threshold: 0.8,
      limit_type: 'block',
      limit_creation_timestamp: expect.any(String),
      totals: { cost: { input: { base: 0 }, output: { base: 0 }, total: { base: 0 } }, requests: counts() },
      limit_update_timestamp: expect.any(String),
    };
    expect(created.body).toEqual({ request_id: expect.any(String), limit });
    expect((await call(c.url, 'GET', '/api/v1/limits/daily-1')).body).toEqual({ request_id: expect.any(String), limit });
    expect((await call(c.url, 'GET', '/api/v1/limits')).body).toEqual({ request_id: expect.any(String), items: [limit] });
    const updated = await call(c.url, 'PUT', '/api/v1/limits/daily-1', { max: 20, limit_name: 'daily-2' });
    expect(updated.body.limit).toMatchObject({ max: 20, limit_name: 'daily-2', limit_type: 'block', threshold: 0.8 });
    const reset = await call(c.url, 'POST', '/api/v1/limits/daily-1/reset');
    expect(reset.body).toEqual({
      request_id: expect.any(String),
      message: 'limit "daily-1" reset',
      limit_history: { limit_id: 'daily-1', limit_name: 'daily-2', limit_reset_timestamp: expect.any(String), limit_type: 'block', max: 20, totals: limit.totals },
    });
    expect((await call(c.url, 'DELETE', '/api/v1/limits/daily-1')).body).toEqual({ request_id: expect.any(String), message: 'limit "daily-1" deleted' });
    expect((await call(c.url, 'GET', '/api/v1/limits/daily-1')).body).toEqual(apiError(400, 'not_found', 'no limit with id "daily-1"'));
  });

  test('a limit without an id gets one; limit_type defaults to allow; fields UpdateLimit lacks are ignored', async () => {
    const r = await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'team', max: 5 });
    expect(r.body.limit.limit_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.limit.limit_type).toBe('allow');
    const u = await call(c.url, 'PUT', `/api/v1/limits/${r.body.limit.limit_id}`, { limit_type: 'block', threshold: 0.5 });
    expect(u.body.limit).toMatchObject({ limit_type: 'allow', max: 5 });
    expect(u.body.limit.threshold).toBeUndefined();
  });

  test('lists filter by limit_name and page with limit and cursor', async () => {
    for (const id of ['a', 'b', 'c']) await call(c.url, 'POST', '/api/v1/limits', { limit_name: id === 'c' ? 'other' : 'team', max: 1, limit_id: id });
    const first = await call(c.url, 'GET', '/api/v1/limits?limit=2');
    expect(first.body.items.map((l: { limit_id: string }) => l.limit_id)).toEqual(['a', 'b']);
    const next = await call(c.url, 'GET', `/api/v1/limits?limit=2&cursor=${first.body.cursor}`);
    expect({ ids: next.body.items.map((l: { limit_id: string }) => l.limit_id), cursor: next.body.cursor }).toEqual({ ids: ['c'], cursor: undefined });
    expect((await call(c.url, 'GET', '/api/v1/limits?limit_name=team&sort_ascending=false')).body.items.map((l: { limit_id: string }) => l.limit_id)).toEqual(['b', 'a']);
  });

  test('bad limit bodies get 400 naming the field; unknown ids and a taken id 400 (the only error status the spec declares)', async () => {
    const bad: [unknown, string][] = [
      [{ max: 5 }, 'limit_name is missing'],
      [{ limit_name: 'x', max: -1 }, 'max must be >= 0'],
      [{ limit_name: 'x', max: 1, limit_type: 'stop' }, 'limit_type must be one of block, allow'],
      [{ limit_name: 'x', max: 1, threshold: 2 }, 'threshold must be <= 1'],
    ];
    for (const [body, message] of bad) {
      const r = await call(c.url, 'POST', '/api/v1/limits', body);
      expect({ status: r.status, body: r.body }).toEqual({ status: 400, body: apiError(400, 'invalid_request', message) });
    }
    expect((await call(c.url, 'PUT', '/api/v1/limits/none', { max: 1 })).status).toBe(400);
    expect((await call(c.url, 'POST', '/api/v1/limits/none/reset')).status).toBe(400);
    expect((await call(c.url, 'DELETE', '/api/v1/limits/none')).body.xproxy_error.code).toBe('not_found');
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'a', max: 1, limit_id: 'taken' });
    expect((await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'b', max: 1, limit_id: 'taken' })).body).toEqual(apiError(400, 'already_exists', 'a limit with id "taken" exists already'));
  });
});

describe('limit states as spend grows', () => {
  test('a block limit moves ok → overrun (threshold) → blocked (max); totals count requests by state', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'budget', max: 3, limit_type: 'block', threshold: 0.5, limit_id: 'b' });
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await ingest(c.url, oneDollar({ limit_ids: ['b'] }));
      states.push(r.body.xproxy_result.limits.b.state);
    }
    expect(states).toEqual(['ok', 'overrun', 'blocked']);
    const limit = (await call(c.url, 'GET', '/api/v1/limits/b')).body.limit;
    expect(limit.totals.cost.total.base).toBeCloseTo(3, 9);
    expect(limit.totals.cost.input.base).toBeCloseTo(3, 9);
    expect(limit.totals.cost.output.base).toBe(0);
    expect(limit.totals.requests).toEqual(counts({ ok: 1, overrun: 1, blocked: 1, total: 3 }));
  });

  test('an allow limit moves ok → exceeded past max and keeps counting', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'soft', max: 1.5, limit_type: 'allow', limit_id: 'a' });
    const states: string[] = [];
    for (let i = 0; i < 3; i++) states.push((await ingest(c.url, oneDollar({ limit_ids: ['a'] }))).body.xproxy_result.limits.a.state);
    expect(states).toEqual(['ok', 'exceeded', 'exceeded']);
    expect((await call(c.url, 'GET', '/api/v1/limits/a')).body.limit.totals.cost.total.base).toBeCloseTo(3, 9);
  });

  test('spend counts against every limit id an event carries; an undefined id reports failed with a warning', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'one', max: 100, limit_id: 'l1' });
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'two', max: 1, limit_type: 'block', limit_id: 'l2' });
    const r = await ingest(c.url, oneDollar({ limit_ids: ['l1', 'l2', 'ghost'] }));
    expect(r.body.xproxy_result.limits).toEqual({ l1: { state: 'ok' }, l2: { state: 'blocked' }, ghost: { state: 'failed' } });
    expect(r.body.xproxy_result.warnings).toEqual(['no limit with id "ghost": its spend was not counted']);
    expect(r.body.xproxy_result.blocked_limit_ids).toEqual(['l2']);
    for (const id of ['l1', 'l2']) expect((await call(c.url, 'GET', `/api/v1/limits/${id}`)).body.limit.totals.cost.total.base).toBeCloseTo(1, 9);
  });

  test('reset puts a blocked limit back to ok with zero spend; resetDate in the past keeps what came after it', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'budget', max: 1, limit_type: 'block', limit_id: 'b' });
    await ingest(c.url, oneDollar({ limit_ids: ['b'] }));
    const reset = await call(c.url, 'POST', '/api/v1/limits/b/reset');
    expect(reset.body.limit_history.totals.cost.total.base).toBeCloseTo(1, 9);
    expect((await call(c.url, 'GET', '/api/v1/limits/b')).body.limit.totals).toEqual({ cost: { input: { base: 0 }, output: { base: 0 }, total: { base: 0 } }, requests: counts() });
    const next = await ingest(c.url, event({ limit_ids: ['b'] }));
    expect(next.body.xproxy_result.limits.b.state).toBe('ok');
    await call(c.url, 'POST', '/api/v1/limits/b/reset?resetDate=2020-01-01T00:00:00Z');
    expect((await call(c.url, 'GET', '/api/v1/limits/b')).body.limit.totals.requests.total).toBe(2);
  });

  test('in one bulk request, each event sees the spend of the ones before it; an upsert in the same batch recounts', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'budget', max: 3, limit_type: 'block', threshold: 0.5, limit_id: 'b' });
    const bulk = await call(c.url, 'POST', '/api/v1/ingest/bulk', [1, 2, 3, 4].map((i) => oneDollar({ limit_ids: ['b', 'ghost'], provider_response_id: `r${i}` })));
    expect(bulk.body.ingest_count).toBe(4);
    const states = (await Promise.all([1, 2, 3, 4].map((i) => call(c.url, 'GET', `/api/v1/requests/provider/system.openai/r${i}/result`)))).map((r) => r.body.xproxy_result.limits);
    expect(states.map((l) => [l.b.state, l.ghost.state])).toEqual([['ok', 'failed'], ['overrun', 'failed'], ['blocked', 'failed'], ['blocked', 'failed']]);
    let limit = (await call(c.url, 'GET', '/api/v1/limits/b')).body.limit;
    expect(limit.totals.cost.total.base).toBeCloseTo(4, 9);
    expect(limit.totals.requests).toEqual(counts({ ok: 1, overrun: 1, blocked: 2, total: 4 }));
    // a new event, then r1 replaced by a $2 version, then another new one: all in one transaction
    const twoDollars = oneDollar({ limit_ids: ['b'], provider_response_id: 'r1', units: { text: { input: 800_000 } } });
    const upsert = await call(c.url, 'POST', '/api/v1/ingest/bulk-upsert', [oneDollar({ limit_ids: ['b'], provider_response_id: 'r5' }), twoDollars, oneDollar({ limit_ids: ['b'], provider_response_id: 'r6' })]);
    expect(upsert.body.ingest_count).toBe(3);
    limit = (await call(c.url, 'GET', '/api/v1/limits/b')).body.limit;
    expect(limit.totals.cost.total.base).toBeCloseTo(2 + 1 + 1 + 1 + 1 + 1, 9); // r1 now $2; r2-r6 $1 each
    expect(limit.totals.requests.total).toBe(6);
  });

  test('a duplicate event adds no spend', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'budget', max: 10, limit_id: 'b' });
    await ingest(c.url, oneDollar({ limit_ids: ['b'], provider_response_id: 'same' }));
    await ingest(c.url, oneDollar({ limit_ids: ['b'], provider_response_id: 'same' }));
    expect((await call(c.url, 'GET', '/api/v1/limits/b')).body.limit.totals.requests).toEqual(counts({ ok: 1, total: 1 }));
  });
});
