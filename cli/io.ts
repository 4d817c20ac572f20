/**
 * Where the commands write and how they end, so tests can run them in-process too.
 *
 * @example
 * ```ts
 * const io: CliIo = { out: console.log, err: console.error, exit: (code) => { process.exitCode = code; } };
 * ```
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  exit(code: number): void;
}

/** The real process: stdout, stderr, `process.exitCode`. */
export const processIo: CliIo = {
  out: (line) => void process.stdout.write(line + '\n'),
  err: (line) => void process.stderr.write(line + '\n'),
  exit: (code) => {
    process.exitCode = code;
  },
};
