import type { PayiLogger } from '../../src/internal/logger';

/**
 * Wraps a logger so that a logger that throws can never break a provider call or the patching
 * (internal; a user's logger is called from inside their provider calls).
 *
 * @example
 * ```ts
 * const log = safeLogger(hub.logger);
 * log.warn({ err }, 'payi: ...');
 * ```
 */
export function safeLogger(logger: PayiLogger): PayiLogger {
  const call =
    (level: keyof PayiLogger) =>
    (msg: string | object, ...rest: unknown[]): void => {
      try {
        logger[level](msg, ...rest);
      } catch {
        /* a broken logger must not break the call */
      }
    };
  return { error: call('error'), warn: call('warn'), info: call('info'), debug: call('debug') };
}
