import type { Command } from 'commander';
import * as path from 'node:path';
import type { CliIo } from '../io';

/** What `cli/demo.ts` exports. */
interface DemoModule {
  runDemo(options?: { print?: (line: string) => void }): Promise<{ statuses: Record<number, number> }>;
}

/** `payi demo`: the whole path on this machine (collector, stand-in providers, sample app, report). */
export function demoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('run the sample application against a local collector and stand-in providers, then print the cost report')
    .action(async () => {
      // Loaded at run time: the demo needs the provider SDKs and NestJS, which only this
      // repository's development install has (`npm install && npm start`).
      let mod: DemoModule;
      try {
        mod = require(path.join(__dirname, '..', 'demo')) as DemoModule;
      } catch (err) {
        io.err(`payi demo: needs the development install of this repository (npm install && npm start): ${(err as Error).message.split('\n')[0]}`);
        return io.exit(1);
      }
      const result = await mod.runDemo({ print: (line) => io.out(line) });
      // every request but the one refused by the blocked limit must have succeeded
      const failed = Object.entries(result.statuses).filter(([status]) => status !== '201' && status !== '429');
      if (failed.length > 0) {
        io.err(`payi demo: unexpected answers from the sample application: ${JSON.stringify(Object.fromEntries(failed))}`);
        return io.exit(1);
      }
      return undefined;
    });
}
