import type { Units } from 'payi-instrument';

/**
 * How this SDK's units map onto `@pydantic/genai-prices`' usage fields and price keys.
 *
 * This SDK's units are leaves (`text` is uncached text input, `text_cache_read` the cached part,
 * `reasoning` the reasoning part of the output), while genai-prices' usage counts are totals that
 * contain their parts (`input_tokens` includes `cache_read_tokens`). So each leaf adds its count to
 * every usage field it belongs to, and is priced by the most specific price key the model has
 * (falling back to the key's ancestors, as genai-prices does).
 *
 * Unit names: `<modality>[_cache_read | _cache_write | _cache_write_1h][_large_context]` for the
 * modalities text, image, audio and video; `reasoning` (output); `web_search_request` (a count).
 * `_large_context` is dropped: genai-prices prices long contexts from the request's total input.
 */
export interface LeafRule {
  /** Usage fields this leaf's count is added to. */
  readonly usage: readonly string[];
  /** Price keys, most specific first. */
  readonly prices: readonly string[];
  /** Units one price covers: 1e6 for `_mtok`, 1e3 for `_kcount`. */
  readonly per: number;
}

const MODALITIES = new Set(['text', 'image', 'audio', 'video']);
const CACHE_KINDS = ['cache_read', 'cache_write_1h', 'cache_write'] as const;

/** The rule for one side (`input`/`output`) of one unit name, or `undefined` when it has no mapping. */
export function leafRule(unit: string, side: 'input' | 'output'): LeafRule | undefined {
  const name = unit.replace(/_large_context$/, '');
  if (name === 'web_search_request') return { usage: ['web_searches'], prices: ['web_searches_kcount'], per: 1e3 };
  if (name === 'reasoning') return side === 'output' ? { usage: ['output_tokens'], prices: ['output_mtok'], per: 1e6 } : undefined;
  const kind = CACHE_KINDS.find((k) => name.endsWith(`_${k}`));
  const modality = kind ? name.slice(0, -kind.length - 1) : name;
  if (!MODALITIES.has(modality)) return undefined;
  const text = modality === 'text';
  if (side === 'output') {
    if (kind) return undefined;
    return text ? { usage: ['output_tokens'], prices: ['output_mtok'], per: 1e6 } : { usage: ['output_tokens', `output_${modality}_tokens`], prices: [`output_${modality}_mtok`, 'output_mtok'], per: 1e6 };
  }
  // A non-text modality's cached tokens are part of that modality's input total as well.
  const own = (...k: string[]): string[] => (text ? [] : k);
  switch (kind) {
    case undefined:
      return { usage: ['input_tokens', ...own(`input_${modality}_tokens`)], prices: [...own(`input_${modality}_mtok`), 'input_mtok'], per: 1e6 };
    case 'cache_read':
      return { usage: ['input_tokens', 'cache_read_tokens', ...own(`input_${modality}_tokens`, `cache_${modality}_read_tokens`)], prices: [...own(`cache_${modality}_read_mtok`), 'cache_read_mtok', 'input_mtok'], per: 1e6 };
    case 'cache_write':
      return { usage: ['input_tokens', 'cache_write_tokens', ...own(`input_${modality}_tokens`, `cache_${modality}_write_tokens`)], prices: [...own(`cache_${modality}_write_mtok`), 'cache_write_mtok', 'input_mtok'], per: 1e6 };
    case 'cache_write_1h':
      return { usage: ['input_tokens', 'cache_write_tokens', 'cache_write_1h_tokens', ...own(`input_${modality}_tokens`, `cache_${modality}_write_tokens`, `cache_${modality}_write_1h_tokens`)], prices: [...own(`cache_${modality}_write_1h_mtok`), 'cache_write_1h_mtok', 'cache_write_mtok', 'input_mtok'], per: 1e6 };
  }
}

/** One side of one unit with a positive count. */
export interface Leaf {
  readonly unit: string;
  readonly side: 'input' | 'output';
  readonly count: number;
  readonly rule: LeafRule;
}

/**
 * Splits units into leaves genai-prices can price and the rest (`unmapped`, which cost 0 and are
 * listed as unknown units).
 */
export function toLeaves(units: Units): { leaves: Leaf[]; unmapped: Units } {
  const leaves: Leaf[] = [];
  const unmapped: Units = {};
  for (const [unit, count] of Object.entries(units)) {
    for (const side of ['input', 'output'] as const) {
      const n = count[side];
      if (typeof n !== 'number' || !(n > 0)) continue;
      const rule = leafRule(unit, side);
      if (rule) leaves.push({ unit, side, count: n, rule });
      else unmapped[unit] = { ...unmapped[unit], [side]: n };
    }
  }
  return { leaves, unmapped };
}

/**
 * genai-prices' usage object for these leaves (totals containing their parts). Where a modality's
 * input and a cache total are both present, their overlap (`cache_audio_read_tokens`, ...) is given
 * explicitly, as genai-prices requires: the leaves say exactly how much of it there is (often 0).
 */
export function toUsage(leaves: readonly Leaf[]): Record<string, number> {
  const usage: Record<string, number> = {};
  for (const l of leaves) for (const k of l.rule.usage) usage[k] = (usage[k] ?? 0) + l.count;
  for (const m of MODALITIES) {
    if (m === 'text' || !usage[`input_${m}_tokens`]) continue;
    for (const [total, overlap] of [['cache_read_tokens', `cache_${m}_read_tokens`], ['cache_write_tokens', `cache_${m}_write_tokens`], ['cache_write_1h_tokens', `cache_${m}_write_1h_tokens`]] as const) {
      if (usage[total]) usage[overlap] ??= 0;
    }
  }
  return usage;
}
