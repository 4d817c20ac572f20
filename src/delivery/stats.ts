import type { IngestCounters } from './types';

/**
 * The counters of one sink, mutable inside delivery; {@link snapshot} copies them for `ingestStats()`.
 *
 * @example
 * ```ts
 * const stats = createStats(); stats.sent += 3; snapshot(stats); // { queued: 0, sent: 3, ... }
 * ```
 */
export function createStats(): IngestCounters {
  return { queued: 0, sent: 0, failed: 0, spilled: 0, retried: 0 };
}

/**
 * A copy of the counters.
 *
 * @example
 * ```ts
 * const frozen = snapshot(stats);
 * ```
 */
export function snapshot(stats: IngestCounters): IngestCounters {
  return { queued: stats.queued, sent: stats.sent, failed: stats.failed, spilled: stats.spilled, retried: stats.retried };
}
