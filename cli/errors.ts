/**
 * A usage mistake on the command line (a bad flag value): printed as `payi <command>: <message>`
 * and the process exits with code 2.
 *
 * @example
 * ```ts
 * throw new UsageError('collector', '--port "abc" is not a port number (1-65535)');
 * ```
 */
export class UsageError extends Error {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

/** Exit codes of `payi`: 0 done, 1 the work failed (e.g. the collector is unreachable), 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
