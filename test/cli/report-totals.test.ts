import * as fs from 'node:fs';
import * as path from 'node:path';
import { call, event, startTestCollector } from '../collector/support';
import { payi } from './support';

describe('payi report: totals and periods', () => {
  let c: Awaited<ReturnType<typeof startTestCollector>>;
  beforeAll(async () => {
    c = await startTestCollector();
    // three requests: one with two limits, one with one, one with none
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', [
      event({ provider_response_id: 'r1', limit_ids: ['team', 'trial'], event_timestamp: '2025-09-01T10:00:00.000Z' }),
      event({ provider_response_id: 'r2', limit_ids: ['team'], event_timestamp: '2025-09-02T10:00:00.000Z' }),
      event({ provider_response_id: 'r3', event_timestamp: '2025-09-03T10:00:00.000Z' }),
    ]);
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await c.close();
  });

  test('--by limit counts each request once in the total, and says why the rows add up to more', async () => {
    const r = await payi(['report', '--by', 'limit', '--url', c.url]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const rows = lines.filter((l) => /^(team|trial|\(none\))\s/.test(l)).map((l) => Number(l.trim().split(/\s+/)[1]));
    expect(rows.reduce((a, b) => a + b, 0)).toBe(4);
    const summary = await call(c.url, 'GET', '/api/v1/reports/summary');
    expect(summary.body).toMatchObject({ requests: 3, all_requests: 3 });
    const total = lines.find((l) => l.startsWith('total'))!;
    expect(total.split(/\s+/)[1]).toBe('3');
    expect(total.split(/\s+/)[4]).toBe(String(summary.body.cost_usd.toPrecision(3)));
    expect(lines.at(-1)).toBe('(1 more rows than requests: a request with several limits is listed under each; the total counts it once)');
  });

  test('--by use_case has no such note (each request is one row)', async () => {
    const r = await payi(['report', '--by', 'use_case', '--url', c.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('more rows than requests');
  });

  test('--from and --to accept a date or an ISO 8601 time and filter by event time', async () => {
    const r = await payi(['report', '--by', 'use_case', '--url', c.url, '--from', '2025-09-02', '--to', '2025-09-03T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').find((l) => l.startsWith('total'))!.split(/\s+/)[1]).toBe('1');
  });

  test.each([
    [['--from', 'yesterday'], 'payi report: --from "yesterday" is not a date or time (expected ISO 8601, e.g. 2025-09-01 or 2025-09-01T12:00:00Z)'],
    [['--to', '2025-13-45'], 'payi report: --to "2025-13-45" is not a date or time (expected ISO 8601, e.g. 2025-09-01 or 2025-09-01T12:00:00Z)'],
  ])('a bad time %j is a usage error (exit 2) naming the flag', async (flags, message) => {
    const r = await payi(['report', '--url', c.url, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });

  test('an empty period is told apart from an empty collector', async () => {
    const period = await payi(['report', '--url', c.url, '--from', '2030-01-01']);
    expect(period.code).toBe(0);
    expect(period.stdout.trim()).toBe('No requests from 2030-01-01T00:00:00.000Z (by use_case); the collector holds 3 requests in all: widen --from/--to.');
    const empty = await startTestCollector();
    try {
      const none = await payi(['report', '--url', empty.url]);
      expect(none.stdout.trim()).toBe('No requests recorded yet (by use_case).');
    } finally {
      await empty.close();
    }
  });
});

describe('payi replay of a missing file', () => {
  test('is an error naming the file, and nothing is sent', async () => {
    const c = await startTestCollector();
    try {
      const file = path.join(c.dir, 'nope.jsonl');
      const r = await payi(['replay', file, '--url', c.url]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`payi replay: ${JSON.stringify(file)} does not exist (expected a spill file of JSON lines, e.g. ./.payi/undelivered.jsonl)`);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await c.close();
    }
  });
});
