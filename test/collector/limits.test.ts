import { call, event, startTestCollector } from './support';

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

describe('limits CRUD', () => {
  test('create, get, list, update, reset and delete a limit', async () => {
    const created = await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'daily', max: 10, limit_type: 'block', threshold: 0.8, limit_id: 'daily-1' });
    expect(created.status).toBe(201);
    expect(created.body.limit).toMatchObject({ limit_id: 'daily-1', limit_name: 'daily', max: 10, limit_type: 'block', threshold: 0.8, state: 'ok' });
    expect((await call(c.url, 'GET', '/api/v1/limits/daily-1')).body.limit.limit_name).toBe('daily');
    expect((await call(c.url, 'GET', '/api/v1/limits')).body.items.map((l: { limit_id: string }) => l.limit_id)).toEqual(['daily-1']);
    const updated = await call(c.url, 'PUT', '/api/v1/limits/daily-1', { max: 20 });
    expect(updated.body.limit).toMatchObject({ max: 20, limit_name: 'daily', limit_type: 'block' });
    expect((await call(c.url, 'POST', '/api/v1/limits/daily-1/reset')).status).toBe(200);
    expect((await call(c.url, 'DELETE', '/api/v1/limits/daily-1')).status).toBe(200);
    expect((await call(c.url, 'GET', '/api/v1/limits/daily-1')).status).toBe(404);
  });

  test('a limit without an id gets one; limit_type defaults to allow', async () => {
    const r = await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'team', max: 5 });
    expect(r.body.limit.limit_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.limit.limit_type).toBe('allow');
  });

  test('bad limit bodies get 400 naming the field; unknown ids 404; a taken id 409', async () => {
    const bad: [unknown, string][] = [
      [{ max: 5 }, 'limit_name is missing'],
      [{ limit_name: 'x', max: -1 }, 'max must be >= 0'],
      [{ limit_name: 'x', max: 1, limit_type: 'stop' }, 'limit_type must be one of block, allow'],
      [{ limit_name: 'x', max: 1, threshold: 2 }, 'threshold must be <= 1'],
    ];
    for (const [body, message] of bad) {
      const r = await call(c.url, 'POST', '/api/v1/limits', body);
      expect({ status: r.status, message: r.body.xproxy_error.message }).toEqual({ status: 400, message });
    }
    expect((await call(c.url, 'PUT', '/api/v1/limits/none', { max: 1 })).status).toBe(404);
    expect((await call(c.url, 'POST', '/api/v1/limits/none/reset')).status).toBe(404);
    expect((await call(c.url, 'DELETE', '/api/v1/limits/none')).status).toBe(404);
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'a', max: 1, limit_id: 'taken' });
    expect((await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'b', max: 1, limit_id: 'taken' })).status).toBe(409);
  });
});

describe('limit states as spend grows', () => {
  test('a block limit moves ok → overrun (threshold) → blocked (max)', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'budget', max: 3, limit_type: 'block', threshold: 0.5, limit_id: 'b' });
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(c.url, 'POST', '/api/v1/ingest', oneDollar({ limit_ids: ['b'] }));
      states.push(r.body.xproxy_result.limits.b.state);
    }
    expect(states).toEqual(['ok', 'overrun', 'blocked']);
    const limit = (await call(c.url, 'GET', '/api/v1/limits/b')).body.limit;
    expect(limit.state).toBe('blocked');
    expect(limit.totals.cost.total.base).toBeCloseTo(3, 9);
    expect(limit.totals.requests).toBe(3);
  });

  test('an allow limit moves ok → exceeded past max and keeps counting', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'soft', max: 1.5, limit_type: 'allow', limit_id: 'a' });
    const states: string[] = [];
    for (let i = 0; i < 3; i++) states.push((await call(c.url, 'POST', '/api/v1/ingest', oneDollar({ limit_ids: ['a'] }))).body.xproxy_result.limits.a.state);
    expect(states).toEqual(['ok', 'exceeded', 'exceeded']);
    expect((await call(c.url, 'GET', '/api/v1/limits/a')).body.limit.totals.cost.total.base).toBeCloseTo(3, 9);
  });

  test('spend counts against every limit id an event carries; an undefined id reports failed', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'one', max: 100, limit_id: 'l1' });
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'two', max: 1, limit_type: 'block', limit_id: 'l2' });
    const r = await call(c.url, 'POST', '/api/v1/ingest', oneDollar({ limit_ids: ['l1', 'l2', 'ghost'] }));
    expect(r.body.xproxy_result.limits).toEqual({ l1: { state: 'ok' }, l2: { state: 'blocked' }, ghost: { state: 'failed', message: 'no limit with id "ghost"' } });
    expect(r.body.xproxy_result.blocked_limit_ids).toEqual(['l2']);
    for (const id of ['l1', 'l2']) expect((await call(c.url, 'GET', `/api/v1/limits/${id}`)).body.limit.totals.cost.total.base).toBeCloseTo(1, 9);
  });

  test('reset puts a blocked limit back to ok with zero spend', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'budget', max: 1, limit_type: 'block', limit_id: 'b' });
    await call(c.url, 'POST', '/api/v1/ingest', oneDollar({ limit_ids: ['b'] }));
    const reset = await call(c.url, 'POST', '/api/v1/limits/b/reset');
    expect(reset.body.limit).toMatchObject({ state: 'ok', totals: { cost: { total: { base: 0 } }, requests: 0 } });
    const next = await call(c.url, 'POST', '/api/v1/ingest', event({ limit_ids: ['b'] }));
    expect(next.body.xproxy_result.limits.b.state).toBe('ok');
  });

  test('a duplicate event adds no spend', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'budget', max: 10, limit_id: 'b' });
    await call(c.url, 'POST', '/api/v1/ingest', oneDollar({ limit_ids: ['b'], provider_response_id: 'same' }));
    await call(c.url, 'POST', '/api/v1/ingest', oneDollar({ limit_ids: ['b'], provider_response_id: 'same' }));
    expect((await call(c.url, 'GET', '/api/v1/limits/b')).body.limit.totals).toMatchObject({ requests: 1 });
  });
});
