import { Command, CommanderError } from 'commander';
import { collectorCommand } from './commands/collector';
import { demoCommand } from './commands/demo-command';
import { replayCommand } from './commands/replay';
import { reportCommand } from './commands/report';
import { EXIT, UsageError } from './errors';
import { type CliIo, processIo } from './io';

/**
 * The `payi` command line: `collector`, `report`, `replay`, `demo`.
 *
 * @example
 * ```ts
 * buildProgram().parseAsync(['node', 'payi', 'report', '--by', 'user']);
 * ```
 */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('payi')
    .description('Pay-i instrumentation tools: a local collector, cost reports and spill-file replay')
    .version(readVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: (s, write) => write(s.replace(/^error: /, 'payi: ')),
    });
  collectorCommand(program, io);
  reportCommand(program, io);
  replayCommand(program, io);
  demoCommand(program, io);
  for (const sub of program.commands) {
    sub.configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: (s, write) => write(s.replace(/^error: /, `payi ${sub.name()}: `)),
    });
  }
  return program;
}

function readVersion(): string {
  try {
    return (require('../package.json') as { version: string }).version;
  } catch {
    return (require('../../package.json') as { version: string }).version;
  }
}

/**
 * Runs `payi` with `argv` (as `process.argv`); resolves to the exit code: 0 done, 1 failed, 2 bad usage.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const tracking: CliIo = { ...io, exit: (c) => void (code = c) };
  try {
    await buildProgram(tracking).parseAsync([...argv]);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.err(`payi ${err.command}: ${err.message}`);
      return EXIT.usage;
    }
    const e = err as Error & { option?: string };
    io.err(`payi: ${e.message}`);
    return EXIT.failed;
  }
}
