/**
 * Test helpers shared by the core tests (context, options, headers, seeds): a logger that collects
 * what the SDK logs, and the UUID v4 shape.
 */
import type { PayiLogger } from '../../src/internal/logger';

/** One logged line: its level and its message text (the string argument). */
export interface LoggedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  msg: string;
}

/** A logger (any object with error/warn/info/debug) that keeps every line it receives. */
export function collectingLogger(): { logger: PayiLogger; lines: LoggedLine[]; at(level: LoggedLine['level']): string[] } {
  const lines: LoggedLine[] = [];
  const make =
    (level: LoggedLine['level']) =>
    (first: string | object, ...rest: unknown[]): void => {
      const msg = typeof first === 'string' ? first : typeof rest[0] === 'string' ? rest[0] : JSON.stringify(first);
      lines.push({ level, msg });
    };
  return {
    logger: { error: make('error'), warn: make('warn'), info: make('info'), debug: make('debug') },
    lines,
    at: (level) => lines.filter((l) => l.level === level).map((l) => l.msg),
  };
}

/** A UUID version 4 (what `crypto.randomUUID()` makes). */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
