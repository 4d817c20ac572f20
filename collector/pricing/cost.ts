import type { Units } from 'payi-instrument';
import { GenaiPrices, round } from './genai';
import { PriceTable } from './prices';

/** The cost of one event in USD, split by side, as stored and as returned in `xproxy_result.cost`. */
export interface EventCost {
  input: number;
  output: number;
  total: number;
  /**
   * The price version used, naming its source: `genai-prices@<data version>` for the bundled
   * price data, `override:<version>` for a local price file; `undefined` when the model is unknown.
   */
  priceVersion?: string;
  /** Units that had no price (an unknown model: all of them). They cost 0. */
  unknownUnits: Units;
}

/**
 * Where the collector's prices come from: local override files first (today's format, for
 * negotiated prices and models the data lacks), then `@pydantic/genai-prices`' bundled data.
 *
 * @example
 * ```ts
 * const pricing = Pricing.load('./my-prices'); // or Pricing.load() for the data alone
 * ```
 */
export class Pricing {
  constructor(
    /** Local price files, or `undefined` for none. */
    readonly overrides: PriceTable | undefined,
    /** The bundled price data. */
    readonly data: GenaiPrices = new GenaiPrices(),
  ) {}

  /** Loads the override files of `pricesDir` (none when `undefined`) beside the bundled data. */
  static load(pricesDir?: string): Pricing {
    return new Pricing(pricesDir === undefined ? undefined : PriceTable.load(pricesDir));
  }
}

/**
 * Prices `units` of `category`/`resource` at `timestamp`. Never throws and never rejects an
 * event: a model or unit without a price costs 0 and is listed in `unknownUnits`.
 *
 * @example
 * ```ts
 * costOf(Pricing.load(), 'system.openai', 'gpt-4o', { text: { input: 1000, output: 100 } }, '2025-09-01T00:00:00Z').total; // 0.0035
 * ```
 */
export function costOf(pricing: Pricing, category: string, resource: string, units: Units, timestamp: string): EventCost {
  const override = pricing.overrides?.lookup(category, resource, timestamp);
  if (override) return fromOverride(override.units, `override:${override.version}`, units);
  const data = pricing.data.price(category, resource, units, timestamp);
  if (data) return { input: data.input, output: data.output, total: data.total, priceVersion: data.version, unknownUnits: data.unknownUnits };
  return { input: 0, output: 0, total: 0, unknownUnits: { ...units } };
}

function fromOverride(prices: Record<string, { input?: number; output?: number }>, priceVersion: string, units: Units): EventCost {
  let input = 0;
  let output = 0;
  const unknownUnits: Units = {};
  for (const [name, count] of Object.entries(units)) {
    const price = prices[name];
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
  return { input: round(input), output: round(output), total: round(input + output), priceVersion, unknownUnits };
}

/** `xproxy_result.cost` in the Pay-i shape. */
export function costResult(c: { input: number; output: number; total: number }): Record<string, unknown> {
  return { currency: 'usd', input: { base: c.input }, output: { base: c.output }, total: { base: c.total } };
}
