import type { CostReportRow, CostSummary } from '../collector/report';

const usd = (n: number): string => (n === 0 ? '0' : n < 0.01 ? n.toPrecision(3) : n.toFixed(4));
const int = (n: number): string => n.toLocaleString('en-US');

/**
 * The cost-drivers report as a plain-text table, most expensive first, with a total line.
 * With the period's `summary`, the total counts each request once (a request with two limits is a
 * row under each, so the rows of a report by limit or request tag can add up to more: the table says
 * so), and an empty period is told apart from an empty collector.
 *
 * @example
 * ```ts
 * console.log(formatCostTable('use_case', rows, summary));
 * ```
 */
export function formatCostTable(by: string, rows: readonly CostReportRow[], summary?: CostSummary, period: { from?: string; to?: string } = {}): string {
  if (rows.length === 0) {
    if (summary && summary.all_requests > 0) {
      const when = [period.from && `from ${period.from}`, period.to && `before ${period.to}`].filter(Boolean).join(' ');
      return `No requests ${when || 'in this period'} (by ${by}); the collector holds ${int(summary.all_requests)} requests in all: widen --from/--to.`;
    }
    return `No requests recorded yet (by ${by}).`;
  }
  const header = [by, 'requests', 'input tokens', 'output tokens', 'cost (USD)'];
  const body = rows.map((r) => [r.key ?? '(none)', int(r.requests), int(r.input_tokens), int(r.output_tokens), usd(r.cost_usd)]);
  const sum = (f: (r: CostReportRow) => number): number => rows.reduce((a, r) => a + f(r), 0);
  const total = summary
    ? ['total', int(summary.requests), int(summary.input_tokens), int(summary.output_tokens), usd(summary.cost_usd)]
    : ['total', int(sum((r) => r.requests)), int(sum((r) => r.input_tokens)), int(sum((r) => r.output_tokens)), usd(Math.round(sum((r) => r.cost_usd) * 1e12) / 1e12)];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const lines = [line(header), rule, ...body.map(line), rule, line(total)];
  const rowRequests = sum((r) => r.requests);
  if (summary && rowRequests > summary.requests) {
    lines.push(`(${int(rowRequests - summary.requests)} more rows than requests: a request with several ${by === 'request_tag' ? 'tags' : 'limits'} is listed under each; the total counts it once)`);
  }
  return lines.join('\n');
}
