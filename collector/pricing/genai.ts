import * as fs from 'node:fs';
import * as path from 'node:path';
import { calcPrice, type ModelPrice, type PriceCalculation } from '@pydantic/genai-prices';
import type { Units } from 'payi-instrument';
import { toLeaves, toUsage, type Leaf } from './genai-units';

/** A price computed from `@pydantic/genai-prices`' bundled data. */
export interface DataPrice {
  input: number;
  output: number;
  total: number;
  /** `genai-prices@<package version>`: stored with the event, so costs can be recomputed when the data changes. */
  version: string;
  /** The data's provider and model ids the event matched, e.g. `anthropic` / `claude-sonnet-4-0`. */
  provider: string;
  model: string;
  /** Units the data has no price for (they cost 0). */
  unknownUnits: Units;
}

/** This SDK's category (and resource) as genai-prices' provider id and model id. */
export function dataModel(category: string, resource: string): { providerId?: string; modelId: string } {
  switch (category) {
    case 'system.openai':
      return { providerId: 'openai', modelId: resource };
    case 'system.azureopenai':
    case 'system.azure':
      return { providerId: 'azure', modelId: resource };
    case 'system.anthropic':
      return { providerId: 'anthropic', modelId: resource };
    case 'system.aws.bedrock':
      return { providerId: 'aws', modelId: resource };
    case 'system.google.vertex': {
      // `google.<model>` for Gemini, `anthropic.<model>` for Claude on Vertex (reference-python.md §4.3).
      if (resource.startsWith('anthropic.')) return { providerId: 'anthropic', modelId: resource.slice('anthropic.'.length).replace(/@.*$/, '') };
      return { providerId: 'google', modelId: resource.replace(/^google\./, '') };
    }
    default:
      return { modelId: resource };
  }
}

type Entry =
  | { kind: 'unknown' }
  | { kind: 'fast'; price: ModelPrice; provider: string; model: string }
  | { kind: 'slow' };

/**
 * The data's price for one unit leaf: the first price among its keys, or `undefined`. A tiered
 * price is its base when no tier can apply (genai-prices applies a tier when the request's input
 * tokens pass its `start`; `tokens` bounds them from above), else `'tiered'`.
 */
function leafPrice(price: ModelPrice, leaf: Leaf, tokens: number): number | 'tiered' | undefined {
  for (const key of leaf.rule.prices) {
    const p = price[key] as unknown;
    if (typeof p === 'number') return p;
    if (p === undefined) continue;
    const { base, tiers } = p as { base?: unknown; tiers?: readonly { start?: unknown }[] };
    return typeof base === 'number' && Array.isArray(tiers) && tiers.every((t) => typeof t.start === 'number' && tokens <= t.start) ? base : 'tiered';
  }
  return undefined;
}

/** Every token the units count, input and output: an upper bound of the input tokens genai-prices compares with a tier's start. */
function allTokens(leaves: readonly Leaf[]): number {
  let n = 0;
  for (const l of leaves) n += l.count;
  return n;
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * `@pydantic/genai-prices` for the collector: its bundled data only (its remote update is never
 * switched on, so nothing leaves the machine), with a cache that keeps the collector's throughput.
 *
 * `calcPrice` costs 20-70 µs a call; most events are priced instead from the model's price
 * record, cached per category, resource, day and set of units. Each cache entry is checked once
 * against `calcPrice` on the event that created it; where the two differ (time-of-day prices,
 * unusual unit combinations) every event of that entry goes through `calcPrice`. A tiered price
 * (long-context rates) is its base price while the event's tokens cannot reach a tier; an event
 * that can goes through `calcPrice`.
 *
 * @example
 * ```ts
 * new GenaiPrices().price('system.openai', 'gpt-4o', { text: { input: 1000, output: 100 } }, '2025-09-01T00:00:00Z')?.total; // 0.0035
 * ```
 */
export class GenaiPrices {
  /** `genai-prices@<version>` of the installed data package. */
  readonly version = `genai-prices@${dataVersion()}`;
  private readonly cache = new Map<string, Entry>();

  /** The price of `units`, or `undefined` when the data does not know the model. Never throws. */
  price(category: string, resource: string, units: Units, timestamp: string): DataPrice | undefined {
    const { leaves, unmapped } = toLeaves(units);
    const day = timestamp.slice(0, 10);
    const key = `${category}\u0000${resource}\u0000${day}\u0000${leaves.map((l) => `${l.unit}.${l.side}`).join(',')}`;
    const entry = this.cache.get(key);
    if (entry?.kind === 'unknown') return undefined;
    if (entry?.kind === 'fast') {
      // undefined: a tier applies to this event (a long-context request); calcPrice prices it
      const fast = this.fast(entry, leaves, unmapped);
      if (fast) return fast;
    }
    const calc = this.calc(category, resource, leaves, timestamp);
    if (!calc) {
      this.remember(key, { kind: 'unknown' });
      return undefined;
    }
    const slow = this.fromCalc(calc, leaves, unmapped);
    if (!entry) {
      const candidate: Entry = { kind: 'fast', price: calc.model_price, provider: calc.provider.id, model: calc.model.id };
      const timeOfDay = Array.isArray(calc.model.prices) && calc.model.prices.some((c) => c.constraint?.type === 'time_of_date');
      const fast = timeOfDay ? undefined : this.fast(candidate, leaves, unmapped);
      // a tier applied to this event: the entry is left for a later event to check
      if (timeOfDay || fast) this.remember(key, fast && near(fast.input, slow.input) && near(fast.output, slow.output) ? candidate : { kind: 'slow' });
    }
    return slow;
  }

  private remember(key: string, entry: Entry): void {
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(key, entry);
  }

  private calc(category: string, resource: string, leaves: readonly Leaf[], timestamp: string): PriceCalculation | undefined {
    const { providerId, modelId } = dataModel(category, resource);
    const at = new Date(timestamp);
    const options = { ...(providerId ? { providerId } : {}), ...(Number.isNaN(at.getTime()) ? {} : { timestamp: at }) };
    try {
      return calcPrice(toUsage(leaves), modelId, options) ?? (providerId === 'azure' ? calcPrice(toUsage(leaves), modelId, { ...options, providerId: 'openai' }) : null) ?? undefined;
    } catch {
      return undefined; // data that cannot price this usage: the model is treated as unknown
    }
  }

  private fromCalc(calc: PriceCalculation, leaves: readonly Leaf[], unmapped: Units): DataPrice {
    const unknownUnits: Units = { ...unmapped };
    for (const l of leaves) if (leafPrice(calc.model_price, l, 0) === undefined) unknownUnits[l.unit] = { ...unknownUnits[l.unit], [l.side]: l.count };
    return { input: round(calc.input_price), output: round(calc.output_price), total: round(calc.total_price), version: this.version, provider: calc.provider.id, model: calc.model.id, unknownUnits };
  }

  private fast(entry: Extract<Entry, { kind: 'fast' }>, leaves: readonly Leaf[], unmapped: Units): DataPrice | undefined {
    let input = 0;
    let output = 0;
    const unknownUnits: Units = { ...unmapped };
    const tokens = allTokens(leaves);
    for (const l of leaves) {
      const p = leafPrice(entry.price, l, tokens);
      if (p === 'tiered') return undefined;
      if (p === undefined) {
        unknownUnits[l.unit] = { ...unknownUnits[l.unit], [l.side]: l.count };
        continue;
      }
      const usd = (l.count * p) / l.rule.per;
      if (l.side === 'input') input += usd;
      else output += usd;
    }
    return { input: round(input), output: round(output), total: round(input + output), version: this.version, provider: entry.provider, model: entry.model, unknownUnits };
  }
}

/** Rounds to 1e-12 USD, so sums of stored costs add up without float noise in the last digits. */
export function round(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

function dataVersion(): string {
  try {
    const main = require.resolve('@pydantic/genai-prices');
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
