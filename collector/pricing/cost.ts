import type { Units } from 'payi-instrument';
import type { PriceTable } from './prices';

/** The cost of one event in USD, split by side, as stored and as returned in `xproxy_result.cost`. */
export interface EventCost {
  input: number;
  output: number;
  total: number;
  /** The price version used, or `undefined` when the model is unknown. */
  priceVersion?: string;
  /** Units that had no price (an unknown model: all of them). They cost 0. */
  unknownUnits: Units;
}

/**
 * Prices `units` of `category`/`resource` at `timestamp`. Never throws and never rejects an
 * event: a model or unit without a price costs 0 and is listed in `unknownUnits`.
 *
 * @example
 * ```ts
 * costOf(prices, 'system.openai', 'gpt-4o', { text: { input: 1000, output: 100 } }, '2025-09-01T00:00:00Z').total; // 0.0035
 * ```
 */
export function costOf(prices: PriceTable, category: string, resource: string, units: Units, timestamp: string): EventCost {
  const found = prices.lookup(category, resource, timestamp);
  let input = 0;
  let output = 0;
  const unknownUnits: Units = {};
  for (const [name, count] of Object.entries(units)) {
    const price = found?.units[name];
    const inTokens = count.input ?? 0;
    const outTokens = count.output ?? 0;
    const missingIn = inTokens > 0 && price?.input === undefined;
    const missingOut = outTokens > 0 && price?.output === undefined;
    if (missingIn || missingOut) {
      unknownUnits[name] = { ...(missingIn ? { input: inTokens } : {}), ...(missingOut ? { output: outTokens } : {}) };
    }
    if (price?.input !== undefined) input += (inTokens * price.input) / 1e6;
    if (price?.output !== undefined) output += (outTokens * price.output) / 1e6;
  }
  const out: EventCost = { input: round(input), output: round(output), total: round(input + output), unknownUnits };
  if (found) out.priceVersion = found.version;
  return out;
}

/** Rounds to 1e-12 USD, so sums of stored costs add up without float noise in the last digits. */
function round(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/** `xproxy_result.cost` in the Pay-i shape. */
export function costResult(c: { input: number; output: number; total: number }): Record<string, unknown> {
  return { currency: 'usd', input: { base: c.input }, output: { base: c.output }, total: { base: c.total } };
}
