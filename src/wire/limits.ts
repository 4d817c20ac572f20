/** A limit's state from its `GET /api/v1/limits/{limit_id}` answer (`Limit`). */
import type { PayiLimit } from './resources';
import type { LimitStateName } from './types';

/**
 * The state of a limit as its `Limit` record implies it, with the rule the local collector applies:
 * spend (`totals.cost.total.base`) at or past `max` is `blocked` for a `block` limit and
 * `exceeded` for an `allow` one; spend at or past `threshold × max` (threshold a fraction, e.g.
 * 0.8) is `overrun`; else `ok`. `undefined` when the record lacks `max` or `totals`.
 *
 * @example
 * ```ts
 * deriveLimitState({ max: 10, limit_type: 'block', threshold: 0.8, totals: { cost: { total: { base: 10 } } } }); // 'blocked'
 * ```
 */
export function deriveLimitState(limit: Partial<Pick<PayiLimit, 'max' | 'threshold' | 'limit_type'>> & { totals?: { cost?: { total?: { base?: number } } } } | null | undefined): LimitStateName | undefined {
  const max = limit?.max;
  const spend = limit?.totals?.cost?.total?.base;
  if (typeof max !== 'number' || typeof spend !== 'number') return undefined;
  if (spend >= max) return limit?.limit_type === 'block' ? 'blocked' : 'exceeded';
  const t = limit?.threshold;
  if (typeof t === 'number' && spend >= t * max) return 'overrun';
  return 'ok';
}
