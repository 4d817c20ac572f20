import type { PayiLogger } from '../../src/internal/logger';

/**
 * Which TypeScript decorator mode this file was compiled in (the jest project decides): a probe
 * decorator sees `(value, context)` in standard mode and `(constructor)` in legacy mode.
 */
export const MODE: 'standard' | 'legacy' = (() => {
  let seen: 'standard' | 'legacy' = 'legacy';
  const probe = (...args: unknown[]): void => {
    if (args.length === 2 && typeof (args[1] as { kind?: unknown })?.kind === 'string') seen = 'standard';
  };
  @(probe as any)
  class Probe {}
  void Probe;
  return seen;
})();

/** A UUID v4, as new use case ids are. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A logger that keeps what it is told, for tests that check warnings. */
export function collectingLogger(): PayiLogger & { messages: string[] } {
  const messages: string[] = [];
  const keep = (msg: unknown, ...rest: unknown[]): void => {
    messages.push([msg, ...rest].map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
  };
  return { messages, error: keep, warn: keep, info: keep, debug: keep };
}
