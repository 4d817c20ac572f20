import type { Command } from 'commander';
import * as path from 'node:path';
import type { CliIo } from '../io';

/** What `cli/demo.ts` exports. */
interface DemoModule {
  runDemo(options?: { print?: (line: string) => void }): Promise<{ statuses: Record<number, number> }>;
}

/** Where the demo lives: beside the command code in this repository's build, absent from the published collector package. */
const DEMO_MODULE = path.join(__dirname, '..', 'demo');

/** Whether this installation has the demo (this repository after `npm install`; not the published package). */
function demoAvailable(): boolean {
  try {
    require.resolve(DEMO_MODULE);
    return true;
  } catch {
    return false;
  }
}

/**
 * `payi demo`: the whole path on this machine (collector, stand-in providers, sample app, report).
 * Offered only where it works: the demo needs the sample application, the stand-ins, NestJS and
 * the provider SDKs, which only this repository's development install has (`npm install && npm
 * start`). Elsewhere the command is hidden and says where to run it.
 */
export function demoCommand(program: Command, io: CliIo): void {
  const available = demoAvailable();
  program
    .command('demo', { hidden: !available })
    .description('run the sample application against a local collector and stand-in providers, then print the cost report')
    .action(async () => {
      if (!available) {
        io.err('payi demo: the demo ships with the payi-instrument repository, not with this package: clone it, then run `npm install && npm start`');
        return io.exit(1);
      }
      const mod = require(DEMO_MODULE) as DemoModule;
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
