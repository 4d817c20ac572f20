import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (version 7: 48-bit Unix milliseconds, then random bits). Request ids are
 * made this way so that new rows land at the end of the `request_id` index instead of at random
 * places in it, which keeps SQLite's writes per event small. The random part comes from
 * `randomUUID()`, which draws from a cached entropy pool (no system call per id).
 *
 * @example `requestId()` → `'0190f5c2-7b1e-7c3a-9f0e-5d2b8a41c6e3'`
 */
export function requestId(now = Date.now()): string {
  const t = now.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
