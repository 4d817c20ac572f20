import type { Command } from 'commander';
import { REPORT_DIMENSIONS, type CostReportRow, type CostSummary, type ReportDimension } from '../../collector/report';
import { readEnv } from 'payi-instrument/internal';
import { parseChoice, parseTime, parseUrl } from '../flags';
import { formatCostTable } from '../table';
import type { CliIo } from '../io';

/** Where `payi report` and `payi replay` go without `--url`: `PAYI_BASE_URL`, else the local collector. */
export function defaultCollectorUrl(): string {
  return readEnv().baseUrl ?? 'http://127.0.0.1:7480';
}

/** `payi report --by use_case [--json] [--url URL] [--api-key KEY]`: the cost-drivers report of a collector. */
export function reportCommand(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('print the cost-drivers report of a collector (requests, tokens and cost, most expensive first)')
    .option('--by <dimension>', `one of ${REPORT_DIMENSIONS.join(', ')}`, 'use_case')
    .option('--json', 'print JSON instead of a table')
    .option('--url <url>', 'the collector (default: PAYI_BASE_URL, else http://127.0.0.1:7480)')
    .option('--api-key <key>', 'xProxy-api-key to send (default: PAYI_API_KEY)')
    .option('--from <iso>', 'only events from this time on (ISO 8601)')
    .option('--to <iso>', 'only events before this time (ISO 8601)')
    .addHelpText('after', '\nExample:\n  payi report --by user\n  payi report --by limit --json --url http://127.0.0.1:7480')
    .action(async (flags: { by: string; json?: boolean; url?: string; apiKey?: string; from?: string; to?: string }) => {
      const by = parseChoice<ReportDimension>('report', '--by', flags.by, REPORT_DIMENSIONS);
      const url = parseUrl('report', flags.url ?? defaultCollectorUrl());
      const apiKey = flags.apiKey ?? readEnv().apiKey;
      const from = flags.from === undefined ? undefined : parseTime('report', '--from', flags.from);
      const to = flags.to === undefined ? undefined : parseTime('report', '--to', flags.to);
      const period = new URLSearchParams();
      if (from) period.set('from', from);
      if (to) period.set('to', to);
      const headers: Record<string, string> = apiKey ? { 'xProxy-api-key': apiKey } : {};
      let res: Response;
      let summaryRes: Response;
      try {
        [res, summaryRes] = await Promise.all([
          fetch(`${url}/api/v1/reports/cost?${new URLSearchParams({ by, ...Object.fromEntries(period) }).toString()}`, { headers }),
          fetch(`${url}/api/v1/reports/summary?${period.toString()}`, { headers }),
        ]);
      } catch (err) {
        const c = (err as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
        const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (err as Error).message;
        io.err(`payi report: cannot reach the collector at ${url} (${cause}); start one with \`payi collector\` or pass --url`);
        return io.exit(1);
      }
      const body = (await res.json().catch(() => undefined)) as CostReportRow[] | { xproxy_error?: { message?: string } } | undefined;
      if (!res.ok || !Array.isArray(body)) {
        const reason = (body as { xproxy_error?: { message?: string } } | undefined)?.xproxy_error?.message ?? `HTTP ${res.status}`;
        io.err(`payi report: the collector at ${url} answered ${res.status}: ${reason}`);
        return io.exit(1);
      }
      const summary = summaryRes.ok ? ((await summaryRes.json().catch(() => undefined)) as CostSummary | undefined) : undefined;
      io.out(flags.json ? JSON.stringify(body, null, 2) : formatCostTable(by, body, summary, { from, to }));
      return undefined;
    });
}
