import type { Command } from 'commander';
import * as path from 'node:path';
import type { CliIo } from '../io';

/** What `cli/demo.ts` exports (written separately). */
interface DemoModule {
  runDemo(options?: Record<string, unknown>): Promise<void>;
}

/** `payi demo`: the whole path on this machine (collector, stand-in providers, sample app, report). */
export function demoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('run the sample application against a local collector and stand-in providers, then print the cost report')
    .action(async () => {
      // TODO(lead): the body is `runDemo()` from cli/demo.ts, which is written separately. It is
      // loaded at run time so this command compiles before that file exists.
      let mod: DemoModule;
      try {
        mod = require(path.join(__dirname, '..', 'demo')) as DemoModule;
      } catch (err) {
        io.err(`payi demo: not available in this build (${(err as Error).message.split('\n')[0]})`);
        return io.exit(1);
      }
      await mod.runDemo();
      return undefined;
    });
}
