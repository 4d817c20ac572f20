import { UsageError } from './errors';

/**
 * `--port` value: a whole number 1-65535 (0 also accepted: "any free port", printed at start).
 * @example `parsePort('collector', '7480') === 7480`
 */
export function parsePort(command: string, value: string): number {
  const n = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n > 65535) throw new UsageError(command, `--port ${JSON.stringify(value)} is not a port number (1-65535)`);
  return n;
}

/**
 * `--url` value: an http(s) URL, without a trailing slash.
 * @example `parseUrl('report', 'http://127.0.0.1:7480/') === 'http://127.0.0.1:7480'`
 */
export function parseUrl(command: string, value: string, flag = '--url'): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(command, `${flag} ${JSON.stringify(value)} is not a URL (expected e.g. http://127.0.0.1:7480)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(command, `${flag} ${JSON.stringify(value)} is not an http(s) URL`);
  return value.replace(/\/+$/, '');
}

/**
 * A whole number flag within bounds.
 * @example `parseWhole('replay', '--batch-size', '100', 1, 1000) === 100`
 */
export function parseWhole(command: string, flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(command, `${flag} ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
  return n;
}

/**
 * One of a fixed set of values.
 * @example `parseChoice('report', '--by', 'user', ['use_case', 'user']) === 'user'`
 */
export function parseChoice<T extends string>(command: string, flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(command, `${flag} ${JSON.stringify(value)} is not one of ${choices.join(', ')}`);
  return value as T;
}

/**
 * A point in time: ISO 8601 date-time (`2025-09-01T12:00:00Z`) or a date (`2025-09-01`, meaning its
 * midnight UTC). Returned as an ISO 8601 date-time string.
 * @example `parseTime('report', '--from', '2025-09-01') === '2025-09-01T00:00:00.000Z'`
 */
export function parseTime(command: string, flag: string, value: string): string {
  const v = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v);
  const t = iso ? Date.parse(/T/.test(v) && !/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? `${v}Z` : v) : NaN;
  if (Number.isNaN(t)) throw new UsageError(command, `${flag} ${JSON.stringify(value)} is not a date or time (expected ISO 8601, e.g. 2025-09-01 or 2025-09-01T12:00:00Z)`);
  return new Date(t).toISOString();
}
