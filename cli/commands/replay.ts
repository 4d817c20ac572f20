import * as fs from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { replaySpillFile } from 'payi-instrument';
import { INGEST_DEFAULTS, readEnv } from 'payi-instrument/internal';
import { parseUrl, parseWhole } from '../flags';
import type { CliIo } from '../io';
import { defaultCollectorUrl } from './report';

/** `payi replay FILE [--url URL] [--api-key KEY] [--batch-size N] [--max-batch-bytes N]`: sends a spill file's events again. */
export function replayCommand(program: Command, io: CliIo): void {
  program
    .command('replay')
    .description('send the events of a spill file (JSON lines the SDK could not deliver) and keep only what still fails')
    .argument('<file>', 'the spill file, e.g. ./.payi/undelivered.jsonl')
    .option('--url <url>', 'where to send (default: PAYI_BASE_URL, else http://127.0.0.1:7480)')
    .option('--api-key <key>', 'xProxy-api-key to send (default: PAYI_API_KEY)')
    .option('--batch-size <n>', 'events per bulk request', '100')
    .option('--max-batch-bytes <n>', 'bytes of JSON per bulk request; a larger event goes without its prompt/response JSON', String(INGEST_DEFAULTS.maxBatchBytes))
    .addHelpText('after', '\nExit code 0 when every event was delivered, 1 when some remain in the file.\n\nExample:\n  payi replay ./.payi/undelivered.jsonl --url http://127.0.0.1:7480')
    .action(async (file: string, flags: { url?: string; apiKey?: string; batchSize: string; maxBatchBytes: string }) => {
      const url = parseUrl('replay', flags.url ?? defaultCollectorUrl());
      const batchSize = parseWhole('replay', '--batch-size', flags.batchSize, 1, 1000);
      const maxBatchBytes = parseWhole('replay', '--max-batch-bytes', flags.maxBatchBytes, 4096, 1 << 30);
      if (!fs.existsSync(file)) throw new UsageError('replay', `${JSON.stringify(file)} does not exist (expected a spill file of JSON lines, e.g. ./.payi/undelivered.jsonl)`);
      const r = await replaySpillFile(file, { baseUrl: url, apiKey: flags.apiKey ?? readEnv().apiKey, batchSize, maxBatchBytes });
      io.out(
        `payi replay: ${file}: ${r.total} events, ${r.sent} sent, ${r.rejected} rejected, ${r.unsent} not sent, ${r.invalid} unreadable lines; ${r.remaining} left in the file`,
      );
      if (r.remaining > 0) io.exit(1);
    });
}
