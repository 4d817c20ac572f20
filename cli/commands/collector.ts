import type { Command } from 'commander';
import pino from 'pino';
import { DEFAULT_COLLECTOR_PORT } from '../../collector/options';
import { readEnv } from 'payi-instrument/internal';
import { parsePort, parseWhole } from '../flags';
import type { CliIo } from '../io';

interface CollectorFlags {
  port: string;
  host: string;
  db: string;
  apiKey?: string;
  bodyLimit?: string;
  prices?: string;
  recompute?: boolean;
}

/** `payi collector`: runs the local collector until SIGINT/SIGTERM. */
export function collectorCommand(program: Command, io: CliIo): void {
  program
    .command('collector')
    .description('run the local collector: the Pay-i ingest API, limits, use cases, proxy routes and the cost page, on SQLite')
    .option('--port <port>', 'TCP port (0 = any free port)', String(DEFAULT_COLLECTOR_PORT))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--db <file>', 'SQLite database file (created when missing)', './.payi/payi.db')
    .option('--api-key <key>', 'require this key in the xProxy-api-key header of every request')
    .option('--body-limit <bytes>', 'largest request body, in bytes (default 16 MiB)')
    .option('--prices <dir>', 'folder of local price JSON files that override the bundled price data (default: none)')
    .option('--recompute', 'price every stored event again with the current price table before serving')
    .addHelpText('after', '\nExample:\n  payi collector --port 7480 --db ./.payi/payi.db\n  PAYI_BASE_URL=http://127.0.0.1:7480 node app.js')
    .action(async (flags: CollectorFlags) => {
      const port = parsePort('collector', flags.port);
      const bodyLimit = flags.bodyLimit === undefined ? undefined : parseWhole('collector', '--body-limit', flags.bodyLimit, 1024, 1024 ** 3);
      // Loaded here, not at the top: only this subcommand needs SQLite (a native module) and fastify,
      // so `payi --help`, `report` and `replay` start without them.
      const { startCollector } = require('../../collector') as typeof import('../../collector');
      const logger = pino({ name: 'payi-collector', level: readEnv().logLevel ?? 'info' });
      const collector = await startCollector({
        port,
        host: flags.host,
        dbPath: flags.db,
        apiKey: flags.apiKey,
        logger,
        recompute: flags.recompute === true,
        ...(bodyLimit !== undefined ? { bodyLimit } : {}),
        ...(flags.prices !== undefined ? { pricesDir: flags.prices } : {}),
      });
      io.out(`payi collector listening on ${collector.url} (database ${flags.db}${flags.apiKey ? ', API key required' : ''})`);
      io.out(`  cost page: ${collector.url}/   SDK: PAYI_BASE_URL=${collector.url}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void collector.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      io.out('payi collector stopped');
    });
}
