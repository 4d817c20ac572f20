/**
 * Limits in batched mode: the refresher's rate bound (at most one read per limit per interval, a
 * trailing read for what was seen inside it) and the state it derives from a spec `Limit` record.
 */
import { LimitRefresher } from '../../src/limits/refresher';
import { LimitStateStore } from '../../src/limits/store';
import { deriveLimitState } from '../../src/wire/limits';
import { schemaProblems } from './openapi';

const limit = (spend: number, over: Partial<{ max: number; limit_type: 'block' | 'allow'; threshold: number | null }> = {}) => ({
  limit_id: 'daily', limit_name: 'daily', max: 10, limit_type: 'block' as const, threshold: 0.8, limit_creation_timestamp: '2025-01-01T00:00:00Z', limit_update_timestamp: '2025-01-01T00:00:00Z',
  totals: { cost: { input: { base: spend }, output: { base: 0 }, total: { base: spend } }, requests: { ok: 0, blocked: 0, blocked_external: 0, exceeded: 0, overrun: 0, failed: 0, total: 0 } },
  ...over,
});

test('the records used here are spec-valid Limit objects', () => {
  expect(schemaProblems('PayI.BudgetManagement.Models.Limit', limit(3))).toEqual([]);
});

test.each<[string, ReturnType<typeof limit>, string]>([
  ['spend under the threshold', limit(3), 'ok'],
  ['spend at threshold × max', limit(8), 'overrun'],
  ['a block limit at max', limit(10), 'blocked'],
  ['an allow limit past max', limit(12, { limit_type: 'allow' }), 'exceeded'],
  ['no threshold, under max', limit(9.9, { threshold: null }), 'ok'],
])('%s is %s', (_name, record, state) => {
  expect(deriveLimitState(record)).toBe(state);
});

test('at most one read per limit per interval; what is seen inside it is read once at its end', async () => {
  const reads: { id: string; at: number }[] = [];
  let spend = 0;
  const reader = { get: async (id: string) => (reads.push({ id, at: Date.now() }), { request_id: 'r', limit: limit(spend) }) };
  const store = new LimitStateStore();
  const refresher = new LimitRefresher(reader, store, 150);
  const t0 = Date.now();
  refresher.seen(['daily', 'daily']);
  await refresher.idle();
  expect(store.get('daily')).toBe('ok');
  spend = 10;
  refresher.seen(['daily']);
  refresher.seen(['daily']);
  await refresher.idle();
  expect(reads).toHaveLength(1); // inside the interval: nothing read yet
  await new Promise((resolve) => setTimeout(resolve, 250));
  await refresher.idle();
  expect(reads.map((r) => r.id)).toEqual(['daily', 'daily']);
  expect(reads[1]!.at - t0).toBeGreaterThanOrEqual(140);
  expect(store.get('daily')).toBe('blocked');
  refresher.close();
});

test('a reader that throws is reported, never thrown, and close() stops waiting reads', async () => {
  const errors: string[] = [];
  const refresher = new LimitRefresher({ get: async () => { throw new Error('down'); } }, new LimitStateStore(), 10_000, (id, e) => errors.push(`${id}: ${(e as Error).message}`));
  refresher.seen(['a']);
  await refresher.idle();
  refresher.seen(['a']); // waits 10 s: close() clears it, nothing keeps the process alive
  refresher.close();
  expect(errors).toEqual(['a: down']);
});
