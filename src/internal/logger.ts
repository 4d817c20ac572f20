import pino from 'pino';
import { LOG_LEVELS, readEnv } from '../options/env';

/** Any logger with these four methods works (pino, winston, console, NestJS's Logger adapters). */
export interface PayiLogger {
  error(msg: string | object, ...rest: unknown[]): void;
  warn(msg: string | object, ...rest: unknown[]): void;
  info(msg: string | object, ...rest: unknown[]): void;
  debug(msg: string | object, ...rest: unknown[]): void;
}

let current: PayiLogger | undefined;

/**
 * The default logger: pino named `payi`, level from `PAYI_LOG_LEVEL`, else `warn`. An unknown
 * level falls back to `warn` here (this logger is also created lazily, from inside calls, where
 * nothing may throw); `payiInstrument()` refuses it with a `PayiConfigError` before that.
 */
export function createDefaultLogger(): PayiLogger {
  const level = readEnv().logLevel;
  return pino({ name: 'payi', level: level !== undefined && LOG_LEVELS.includes(level) ? level : 'warn' });
}

/**
 * Wraps a logger so that a logger that throws can never break a provider call, the patching or
 * delivery: every method swallows its own errors. `payiInstrument()` wraps the user's logger once.
 *
 * @example
 * ```ts
 * const log = safeLogger(userLogger);
 * log.warn({ err }, 'payi: ...'); // never throws
 * ```
 */
export function safeLogger(logger: PayiLogger): PayiLogger {
  if (SAFE in logger) return logger;
  const call =
    (level: keyof PayiLogger) =>
    (msg: string | object, ...rest: unknown[]): void => {
      try {
        logger[level](msg, ...rest);
      } catch {
        /* a broken logger must not break the call */
      }
    };
  return { [SAFE]: true, error: call('error'), warn: call('warn'), info: call('info'), debug: call('debug') } as PayiLogger;
}
const SAFE = Symbol('payi.safeLogger');

/** The logger in use (the configured one, else the default, created on first use). */
export function getLogger(): PayiLogger {
  current ??= createDefaultLogger();
  return current;
}

/** Sets the logger in use; `undefined` goes back to the default. */
export function setLogger(logger: PayiLogger | undefined): void {
  current = logger;
}

/** Replaces API keys and bearer tokens in a string with `***`, keeping the last 4 characters. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length > 0) out = out.split(s).join(`***${s.length > 8 ? s.slice(-4) : ''}`);
  }
  return out.replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***');
}

/**
 * Runs a user callback or an internal hook so that a throw never reaches the caller: the error is
 * logged at `warn` with `what` naming the hook, and `fallback` is returned.
 */
export function safeExecute<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (err) {
    try {
      getLogger().warn({ err }, `payi: ${what} threw; ignored`);
    } catch {
      /* a logger that throws must not break the call either */
    }
    return fallback;
  }
}
