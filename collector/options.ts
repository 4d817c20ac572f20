import { PayiConfigError } from 'payi-instrument';
import { CONNECTION_LIMIT_DEFAULTS } from './limits';

/** Any logger with these four methods (pino, console, ...). */
export interface CollectorLogger {
  error(msg: string | object, ...rest: unknown[]): void;
  warn(msg: string | object, ...rest: unknown[]): void;
  info(msg: string | object, ...rest: unknown[]): void;
  debug(msg: string | object, ...rest: unknown[]): void;
}

/**
 * Options of {@link startCollector}. Every field is optional.
 *
 * @example
 * ```ts
 * await startCollector({ port: 0, dbPath: path.join(tmp, 'payi.db'), apiKey: 'local-key' });
 * ```
 */
export interface CollectorOptions {
  /** TCP port. Default 7480; 0 picks a free port (read it from the result's `port`). */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1` (this machine only). */
  host?: string;
  /** SQLite database file, created with its folder when missing. Default `./.payi/payi.db`; `':memory:'` keeps nothing. */
  dbPath?: string;
  /** When set, every request must carry it in `xProxy-api-key` (401 otherwise). Default: none. */
  apiKey?: string;
  /** Largest request body in bytes; larger ones get 413. Default 16 MiB. */
  bodyLimit?: number;
  /** Where the collector logs. Default: a pino logger named `payi-collector` at `info`. */
  logger?: CollectorLogger;
  /** Folder of local price JSON files that override the bundled `@pydantic/genai-prices` data (negotiated prices, models the data lacks). Default: none. */
  pricesDir?: string;
  /** Price every stored event again with the current price table before serving (`payi collector --recompute`). Default false. */
  recompute?: boolean;
  /** Milliseconds a client may take to send a request's headers; then 408 and the connection is closed. Default 10000. */
  headersTimeoutMs?: number;
  /** Milliseconds a client may take to send a whole request; then 408 and the connection is closed. Default 30000. */
  requestTimeoutMs?: number;
  /** Milliseconds an idle keep-alive connection stays open. Default 10000. */
  keepAliveTimeoutMs?: number;
  /** Open connections at most; a new connection beyond it is closed at once. Default 256. */
  maxConnections?: number;
}

/** The options with their defaults applied. */
export type ResolvedCollectorOptions = Required<Omit<CollectorOptions, 'apiKey' | 'logger' | 'pricesDir'>> & Pick<CollectorOptions, 'apiKey' | 'logger' | 'pricesDir'>;

/** Default port of `payi collector`. */
export const DEFAULT_COLLECTOR_PORT = 7480;

/**
 * Applies defaults and checks every option; a bad one is a {@link PayiConfigError} naming the
 * option, the value and what was expected.
 *
 * @example `resolveCollectorOptions({ port: 70000 })` throws `startCollector: port 70000 is not a port number (0-65535)`
 */
export function resolveCollectorOptions(options: CollectorOptions = {}): ResolvedCollectorOptions {
  const o = { port: DEFAULT_COLLECTOR_PORT, host: '127.0.0.1', dbPath: './.payi/payi.db', bodyLimit: 16 * 1024 * 1024, recompute: false, ...CONNECTION_LIMIT_DEFAULTS, ...options };
  const bad = (option: string, value: unknown, expected: string): never => {
    throw new PayiConfigError(`startCollector: ${option} ${JSON.stringify(value)} ${expected}`, option, value);
  };
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) bad('port', o.port, 'is not a port number (0-65535)');
  if (typeof o.host !== 'string' || o.host.trim() === '') bad('host', o.host, 'is not a host name or address');
  if (typeof o.dbPath !== 'string' || o.dbPath === '') bad('dbPath', o.dbPath, "is not a file path (or ':memory:')");
  if (o.apiKey !== undefined && (typeof o.apiKey !== 'string' || o.apiKey === '')) bad('apiKey', typeof o.apiKey === 'string' ? o.apiKey : typeof o.apiKey, 'is not a non-empty string');
  if (!Number.isInteger(o.bodyLimit) || o.bodyLimit < 1024) bad('bodyLimit', o.bodyLimit, 'is not a whole number of bytes >= 1024');
  if (o.pricesDir !== undefined && (typeof o.pricesDir !== 'string' || o.pricesDir === '')) bad('pricesDir', o.pricesDir, 'is not a folder path');
  if (typeof o.recompute !== 'boolean') bad('recompute', o.recompute, 'is not true or false');
  for (const k of ['headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) bad(k, o[k], 'is not a whole number >= 1');
  }
  if (o.headersTimeoutMs > o.requestTimeoutMs) bad('headersTimeoutMs', o.headersTimeoutMs, `is longer than requestTimeoutMs (${o.requestTimeoutMs})`);
  if (o.logger !== undefined) {
    for (const m of ['error', 'warn', 'info', 'debug'] as const) {
      if (typeof (o.logger as unknown as Record<string, unknown>)?.[m] !== 'function') bad('logger', `{${Object.keys(o.logger ?? {}).join(',')}}`, `has no ${m}() method`);
    }
  }
  return o;
}
