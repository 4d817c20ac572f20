import type { CostReportRow } from '../collector/report';

const usd = (n: number): string => (n === 0 ? '0' : n < 0.01 ? n.toPrecision(3) : n.toFixed(4));
const int = (n: number): string => n.toLocaleString('en-US');

/**
 * The cost-drivers report as a plain-text table, most expensive first, with a total line.
 *
 * @example
 * ```ts
 * console.log(formatCostTable('use_case', rows));
 * ```
 */
export function formatCostTable(by: string, rows: readonly CostReportRow[]): string {
  if (rows.length === 0) return `No requests recorded yet (by ${by}).`;
  const header = [by, 'requests', 'input tokens', 'output tokens', 'cost (USD)'];
  const body = rows.map((r) => [r.key ?? '(none)', int(r.requests), int(r.input_tokens), int(r.output_tokens), usd(r.cost_usd)]);
  const sum = (f: (r: CostReportRow) => number): number => rows.reduce((a, r) => a + f(r), 0);
  const total = ['total', int(sum((r) => r.requests)), int(sum((r) => r.input_tokens)), int(sum((r) => r.output_tokens)), usd(Math.round(sum((r) => r.cost_usd) * 1e12) / 1e12)];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line), rule, line(total)].join('\n');
}
