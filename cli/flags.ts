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
