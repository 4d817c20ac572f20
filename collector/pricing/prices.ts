import * as fs from 'node:fs';
import * as path from 'node:path';
import { PayiConfigError } from 'payi-instrument';

/** Price of one unit, in USD per million (tokens, or requests for counted units such as `web_search_request`). */
export interface UnitPrice {
  input?: number;
  output?: number;
}

/** One version of a category's prices: resources added or changed from `effective_date` on. */
export interface PriceVersion {
  version: string;
  /** `YYYY-MM-DD`; the version applies to events whose `event_timestamp` is on or after it. */
  effective_date: string;
  resources: Record<string, Record<string, UnitPrice>>;
}

/** One local price file (`--prices DIR`): the price history of one category, overriding the bundled data. */
export interface PriceFile {
  category: string;
  currency: 'usd';
  price_unit: 'usd_per_million';
  source?: string;
  /** Reuse another category's versions (Azure OpenAI bills OpenAI's prices). */
  same_as?: string;
  versions: PriceVersion[];
}

/** What a lookup found: the unit prices of a resource and the price version they come from. */
export interface ResourcePrice {
  /** The key of the price table the resource matched, e.g. `gpt-4o` for `gpt-4o-2024-08-06`. */
  resource: string;
  version: string;
  units: Record<string, UnitPrice>;
}

/**
 * Local price overrides, loaded from JSON files (one per category, see docs/collector.md).
 *
 * @example
 * ```ts
 * const prices = PriceTable.load();
 * prices.lookup('system.openai', 'gpt-4o-2024-08-06', '2025-09-01T00:00:00Z')?.units.text; // { input: 2.5, output: 10 }
 * ```
 */
export class PriceTable {
  private readonly byCategory = new Map<string, PriceVersion[]>();
  private readonly cache = new Map<string, ResourcePrice | null>();

  constructor(files: readonly PriceFile[]) {
    const byName = new Map(files.map((f) => [f.category, f]));
    for (const f of files) {
      let src: PriceFile | undefined = f;
      for (let hops = 0; src?.same_as !== undefined && hops < 5; hops++) src = byName.get(src.same_as);
      if (!src) throw new PayiConfigError(`price file for ${f.category}: same_as "${f.same_as}" names no loaded category`, 'same_as', f.same_as);
      const versions = [...src.versions].sort((a, b) => a.effective_date.localeCompare(b.effective_date));
      this.byCategory.set(f.category, versions);
    }
  }

  /**
   * Reads every `*.json` of `dir`: local price files that override the bundled price data.
   * @example `PriceTable.load('/etc/payi/prices')`
   */
  static load(dir: string): PriceTable {
    if (!fs.existsSync(dir)) throw new PayiConfigError(`pricesDir "${dir}" does not exist; expected a folder of price JSON files`, 'pricesDir', dir);
    const files = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => {
        const file = path.join(dir, n);
        try {
          return checkPriceFile(JSON.parse(fs.readFileSync(file, 'utf8')), file);
        } catch (err) {
          if (err instanceof PayiConfigError) throw err;
          throw new PayiConfigError(`price file ${file} is not valid JSON: ${(err as Error).message}`, 'pricesDir', dir);
        }
      });
    return new PriceTable(files);
  }

  /** The categories that have prices. */
  categories(): string[] {
    return [...this.byCategory.keys()];
  }

  /**
   * Unit prices of `resource` in `category` at `timestamp` (ISO 8601), or `undefined` for an unknown model.
   * Dated or versioned ids match their base model (`gpt-4o-2024-08-06` → `gpt-4o`,
   * `us.anthropic.claude-sonnet-4-20250514-v1:0` → `anthropic.claude-sonnet-4`).
   */
  lookup(category: string, resource: string, timestamp: string): ResourcePrice | undefined {
    const day = timestamp.slice(0, 10);
    const key = `${category}\u0000${resource}\u0000${day}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.find(category, resource, day);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, found ?? null);
    return found;
  }

  private find(category: string, resource: string, day: string): ResourcePrice | undefined {
    const versions = this.byCategory.get(category);
    if (!versions || versions.length === 0) return undefined;
    for (const candidate of candidates(resource)) {
      let match: ResourcePrice | undefined;
      let first: ResourcePrice | undefined;
      for (const v of versions) {
        const units = v.resources[candidate];
        if (!units) continue;
        const price = { resource: candidate, version: v.version, units };
        first ??= price;
        if (v.effective_date <= day) match = price;
      }
      // An event older than the first version that lists the model is priced with that first version.
      if (match ?? first) return match ?? first;
    }
    return undefined;
  }
}

const REGION_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;
const SUFFIXES = [/:\d+(k)?$/, /-v\d+$/, /-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /-latest$/, /-preview$/];

/** The names a resource id may be priced under, most specific first. */
export function candidates(resource: string): string[] {
  const out: string[] = [];
  const add = (r: string): void => {
    let cur = r;
    out.push(cur);
    for (let changed = true; changed; ) {
      changed = false;
      for (const re of SUFFIXES) {
        if (re.test(cur)) {
          cur = cur.replace(re, '');
          out.push(cur);
          changed = true;
          break;
        }
      }
    }
  };
  add(resource);
  if (REGION_PREFIX.test(resource)) add(resource.replace(REGION_PREFIX, ''));
  return out;
}

function checkPriceFile(raw: unknown, file: string): PriceFile {
  const bad = (what: string, value: unknown): never => {
    throw new PayiConfigError(`price file ${file}: ${what} is ${JSON.stringify(value)}`, 'pricesDir', file);
  };
  if (raw === null || typeof raw !== 'object') bad('the content', raw);
  const f = raw as PriceFile;
  if (typeof f.category !== 'string' || f.category === '') bad('category', f.category);
  if (!Array.isArray(f.versions)) bad('versions (expected an array)', f.versions);
  for (const v of f.versions) {
    if (typeof v.version !== 'string') bad('a version name', v.version);
    if (typeof v.effective_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.effective_date)) bad(`effective_date of ${v.version} (expected YYYY-MM-DD)`, v.effective_date);
    for (const [res, units] of Object.entries(v.resources ?? {})) {
      for (const [unit, p] of Object.entries(units)) {
        for (const side of ['input', 'output'] as const) {
          const n = p[side];
          if (n !== undefined && (typeof n !== 'number' || !(n >= 0))) bad(`${v.version} ${res} ${unit}.${side} (expected USD per million >= 0)`, n);
        }
      }
    }
  }
  return f;
}
