import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCollector } from '../../collector';
import { call, event, ingest, memoryLogger, startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

interface Row {
  key: string | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

async function seed(): Promise<void> {
  const models = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'claude-3-5-haiku'];
  const events = [];
  for (let i = 0; i < 40; i++) {
    const resource = models[i % models.length];
    events.push(
      event({
        category: resource?.startsWith('claude') ? 'system.anthropic' : 'system.openai',
        resource,
        units: { text: { input: 100 + i * 37, output: 10 + i * 5 }, ...(i % 3 === 0 ? { text_cache_read: { input: 50 } } : {}) },
        use_case_name: ['chat', 'summarize', 'search'][i % 3],
        ...(i % 4 === 0 ? {} : { user_id: `user-${i % 5}` }),
        limit_ids: i % 2 === 0 ? ['even', 'all'] : ['all'],
        request_tags: i % 5 === 0 ? ['beta'] : [],
        account_name: i % 2 === 0 ? 'acme' : 'globex',
      }),
    );
  }
  const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', events);
  expect(r.body.errors).toEqual([]);
}

/** Sums of the stored events, grouped by a column, straight from SQLite. */
function sums(column: string): Map<string | null, { requests: number; cost: number; input: number; output: number }> {
  const out = new Map<string | null, { requests: number; cost: number; input: number; output: number }>();
  for (const e of c.db.prepare('SELECT * FROM events').all() as Record<string, any>[]) {
    const units = JSON.parse(e.units_json) as Record<string, { input?: number; output?: number }>;
    const s = out.get(e[column]) ?? { requests: 0, cost: 0, input: 0, output: 0 };
    s.requests++;
    s.cost += e.cost_total;
    for (const u of Object.values(units)) {
      s.input += u.input ?? 0;
      s.output += u.output ?? 0;
    }
    out.set(e[column], s);
  }
  return out;
}

describe('GET /api/v1/reports/cost', () => {
  test.each([
    ['use_case', 'use_case_name'],
    ['user', 'user_id'],
    ['account', 'account_name'],
    ['resource', 'resource'],
  ])('by=%s: totals equal the sums of the stored events, most expensive first', async (by, column) => {
    await seed();
    const r = await call<Row[]>(c.url, 'GET', `/api/v1/reports/cost?by=${by}`);
    expect(r.status).toBe(200);
    const expected = sums(column);
    expect(r.body.map((x) => x.key).sort()).toEqual([...expected.keys()].sort());
    for (const row of r.body) {
      const s = expected.get(row.key);
      expect({ key: row.key, requests: row.requests, input: row.input_tokens, output: row.output_tokens }).toEqual({ key: row.key, requests: s?.requests, input: s?.input, output: s?.output });
      expect(row.cost_usd).toBeCloseTo(s?.cost ?? NaN, 10);
    }
    const costs = r.body.map((x) => x.cost_usd);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(r.body.reduce((a, x) => a + x.cost_usd, 0)).toBeGreaterThan(0);
  });

  test('by=limit and by=request_tag count an event under each of its ids; events with none are the null row', async () => {
    await seed();
    const byLimit = (await call<Row[]>(c.url, 'GET', '/api/v1/reports/cost?by=limit')).body;
    expect(byLimit.map((r) => [r.key, r.requests])).toEqual([
      ['all', 40],
      ['even', 20],
    ]);
    const total = (c.db.prepare('SELECT sum(cost_total) AS s FROM events').get() as { s: number }).s;
    expect(byLimit[0]?.cost_usd).toBeCloseTo(total, 10);
    const byTag = (await call<Row[]>(c.url, 'GET', '/api/v1/reports/cost?by=request_tag')).body;
    expect(byTag.map((r) => [r.key, r.requests]).sort()).toEqual([[null, 32], ['beta', 8]]);
  });

  test('from/to narrow the report to a period; a bad dimension gets 400', async () => {
    await call(c.url, 'POST', '/api/v1/ingest/bulk', {
      events: [event({ use_case_name: 'old', event_timestamp: '2025-01-05T00:00:00Z' }), event({ use_case_name: 'new', event_timestamp: '2025-10-05T00:00:00Z' })],
    });
    const r = await call<Row[]>(c.url, 'GET', '/api/v1/reports/cost?by=use_case&from=2025-06-01T00:00:00Z');
    expect(r.body.map((x) => x.key)).toEqual(['new']);
    const bad = await call(c.url, 'GET', '/api/v1/reports/cost?by=team');
    expect(bad.status).toBe(400);
    expect(bad.body.xproxy_error.message).toBe('querystring.by must be one of use_case, user, limit, account, resource, request_tag');
  });
});

describe('recomputing costs', () => {
  test('a restart with recompute: true (payi collector --recompute) prices stored events with the edited price table', async () => {
    const dir = path.join(c.dir, 'prices');
    fs.mkdirSync(dir);
    const write = (resources: object): void =>
      fs.writeFileSync(path.join(dir, 'openai.json'), JSON.stringify({ category: 'system.openai', currency: 'usd', price_unit: 'usd_per_million', versions: [{ version: 'v1', effective_date: '2025-01-01', resources }] }));
    write({ 'gpt-4o': { text: { input: 1, output: 1 } } });
    const dbPath = path.join(c.dir, 'recompute.db');
    const first = await startCollector({ port: 0, dbPath, pricesDir: dir, logger: memoryLogger() });
    await call(first.url, 'POST', '/api/v1/limits', { limit_name: 'l', max: 100, limit_id: 'l' });
    await ingest(first.url, event({ resource: 'gpt-4o', units: { text: { input: 1_000_000 } }, limit_ids: ['l'] }));
    await call(first.url, 'POST', '/api/v1/ingest', event({ resource: 'in-house-model', units: { text: { input: 1_000_000 } } }));
    expect((await call<Row[]>(first.url, 'GET', '/api/v1/reports/cost?by=resource')).body.map((r) => [r.key, r.cost_usd])).toEqual([
      ['gpt-4o', 1],
      ['in-house-model', 0],
    ]);
    await first.close();

    // a price change, and a price for a model the bundled data lacks
    write({ 'gpt-4o': { text: { input: 2, output: 1 } }, 'in-house-model': { text: { input: 0.5, output: 1 } } });
    const second = await startCollector({ port: 0, dbPath, pricesDir: dir, logger: memoryLogger(), recompute: true });
    try {
      expect((await call<Row[]>(second.url, 'GET', '/api/v1/reports/cost?by=resource')).body.map((x) => [x.key, x.cost_usd])).toEqual([
        ['gpt-4o', 2],
        ['in-house-model', 0.5],
      ]);
      expect((await call(second.url, 'GET', '/api/v1/limits/l')).body.limit.totals.cost.total.base).toBe(2);
      // POST /api/v1/admin/recompute with nothing changed since
      const r = await call(second.url, 'POST', '/api/v1/admin/recompute');
      expect(r.body).toEqual({ events: 2, changed: 0, total_cost_before: 2.5, total_cost_after: 2.5 });
    } finally {
      await second.close();
    }
  });
});
