import type { CostReportRow } from '../collector/report';

/**
 * Formats cost-drivers rows as a plain-text table (the `payi report` and `payi demo` output):
 * one line per key, most expensive first, with a total line.
 *
 * @example
 * ```ts
 * console.log(formatReportTable(rows, 'use_case'));
 * ```
 */
export function formatReportTable(rows: readonly CostReportRow[], by: string): string {
  const header = [by, 'requests', 'input_tokens', 'output_tokens', 'cost_usd'];
  const body = rows.map((r) => [r.key ?? '(none)', String(r.requests), String(r.input_tokens), String(r.output_tokens), formatUsd(r.cost_usd)]);
  const total = rows.reduce(
    (t, r) => ({ requests: t.requests + r.requests, input: t.input + r.input_tokens, output: t.output + r.output_tokens, cost: t.cost + r.cost_usd }),
    { requests: 0, input: 0, output: 0, cost: 0 },
  );
  const footer = ['total', String(total.requests), String(total.input), String(total.output), formatUsd(total.cost)];
  const all = [header, ...body, footer];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...body.map(line), rule, line(footer)].join('\n');
}

/** USD with enough digits for per-call costs: `$0.000123`. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd !== 0 && Math.abs(usd) < 0.01 ? 6 : 4)}`;
}
