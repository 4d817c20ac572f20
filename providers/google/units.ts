import type { FunctionCall, Units } from '../../src/events/types';
import type { GeminiEmbedResponse, GeminiModalityCount, GeminiResponse, GeminiUsage } from './types';

/** Prompt tokens above which a `gemini-2.5-pro` call carries the `_large_context` suffix on every unit. */
export const GEMINI_LARGE_CONTEXT_THRESHOLD = 200_000;

const n = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The unit a Gemini modality is priced as: IMAGE is `vision` on the input side, `image` on the output side. */
function unitOf(modality: string | undefined, side: 'input' | 'output'): string {
  switch ((modality ?? '').toUpperCase()) {
    case 'IMAGE':
      return side === 'input' ? 'vision' : 'image';
    case 'AUDIO':
      return 'audio';
    case 'VIDEO':
      return 'video';
    default:
      return 'text';
  }
}

function byUnit(details: readonly GeminiModalityCount[] | null | undefined, side: 'input' | 'output'): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of details ?? []) {
    const unit = unitOf(d?.modality, side);
    out.set(unit, (out.get(unit) ?? 0) + n(d?.tokenCount));
  }
  return out;
}

function add(units: Units, name: string, side: 'input' | 'output', count: number): void {
  if (count <= 0 && name !== 'text') return;
  const u = (units[name] ??= {});
  u[side] = (u[side] ?? 0) + count;
}

/**
 * Converts a Gemini `usageMetadata` into Pay-i units (reference-python §5.5), pure:
 * - input per modality from `promptTokensDetails`, minus that modality's `cacheTokensDetails`,
 *   which become `<unit>_cache_read` (IMAGE is `vision` on the input side);
 * - output per modality from `candidatesTokensDetails` (IMAGE is `image` on the output side);
 * - `thoughtsTokenCount` as `reasoning.output`;
 * - without modality details: `text` from `promptTokenCount` − `cachedContentTokenCount` and
 *   `candidatesTokenCount`, `text_cache_read` from `cachedContentTokenCount`;
 * - for `gemini-2.5-pro` with more than 200,000 prompt tokens, the `_large_context` suffix on every unit.
 * `text` is always present (`{ input, output }`); other units only when their count is above 0.
 *
 * @example
 * ```ts
 * geminiUnits({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 3 }, 'gemini-2.5-flash');
 * // { text: { input: 10, output: 5 }, reasoning: { output: 3 } }
 * ```
 */
export function geminiUnits(usage: GeminiUsage | null | undefined, model?: string): Units {
  if (!usage) return {};
  const units: Units = { text: { input: 0, output: 0 } };
  const prompt = byUnit(usage.promptTokensDetails, 'input');
  const cache = byUnit(usage.cacheTokensDetails, 'input');
  if (prompt.size > 0) {
    for (const [unit, count] of prompt) add(units, unit, 'input', Math.max(0, count - (cache.get(unit) ?? 0)));
    for (const [unit, count] of cache) add(units, `${unit}_cache_read`, 'input', count);
  } else {
    const cached = n(usage.cachedContentTokenCount);
    add(units, 'text', 'input', Math.max(0, n(usage.promptTokenCount) - cached));
    add(units, 'text_cache_read', 'input', cached);
  }
  const candidates = byUnit(usage.candidatesTokensDetails, 'output');
  if (candidates.size > 0) for (const [unit, count] of candidates) add(units, unit, 'output', count);
  else add(units, 'text', 'output', n(usage.candidatesTokenCount));
  add(units, 'reasoning', 'output', n(usage.thoughtsTokenCount));
  if (isLargeContext(model, n(usage.promptTokenCount))) {
    const suffixed: Units = {};
    for (const [name, u] of Object.entries(units)) suffixed[`${name}_large_context`] = u;
    return suffixed;
  }
  return units;
}

/** True for a `gemini-2.5-pro` call whose prompt exceeds {@link GEMINI_LARGE_CONTEXT_THRESHOLD}. */
export function isLargeContext(model: string | undefined, promptTokens: number): boolean {
  return typeof model === 'string' && model.includes('gemini-2.5-pro') && promptTokens > GEMINI_LARGE_CONTEXT_THRESHOLD;
}

/**
 * Units of an `embedContent` answer: `text.input` from `usageMetadata.promptTokenCount`, else the
 * sum of the embeddings' `statistics.tokenCount` (Vertex `predict`); `{}` when it has neither.
 *
 * @example
 * ```ts
 * geminiEmbedUnits({ embeddings: [{}], usageMetadata: { promptTokenCount: 7 } }); // { text: { input: 7, output: 0 } }
 * ```
 */
export function geminiEmbedUnits(response: GeminiEmbedResponse | null | undefined): Units {
  const fromUsage = response?.usageMetadata?.promptTokenCount;
  const stats = (response?.embeddings ?? []).map((e) => e?.statistics?.tokenCount).filter((v): v is number => typeof v === 'number');
  if (typeof fromUsage !== 'number' && stats.length === 0) return {};
  return { text: { input: typeof fromUsage === 'number' ? fromUsage : stats.reduce((a, b) => a + b, 0), output: 0 } };
}

/**
 * The `functionCall` parts of a response's candidates, as `{ name, arguments: JSON of args }`.
 *
 * @example
 * ```ts
 * geminiFunctionCalls(response); // [{ name: 'get_weather', arguments: '{"city":"Paris"}' }]
 * ```
 */
export function geminiFunctionCalls(response: GeminiResponse | null | undefined): FunctionCall[] {
  const out: FunctionCall[] = [];
  for (const c of response?.candidates ?? []) {
    for (const p of c?.content?.parts ?? []) if (p?.functionCall?.name) out.push({ name: p.functionCall.name, arguments: JSON.stringify(p.functionCall.args ?? {}) });
  }
  return out;
}

/**
 * The resource of a Gemini call: `google.<model>`, from the response's `modelVersion` when it has
 * one, else the requested model without its `models/` or `publishers/…/models/` prefix.
 *
 * @example
 * ```ts
 * geminiResource('models/gemini-2.5-flash'); // 'google.gemini-2.5-flash'
 * ```
 */
export function geminiResource(requested: string | undefined, modelVersion?: string): string | undefined {
  const model = modelVersion || requested;
  if (!model) return undefined;
  return `google.${model.slice(model.lastIndexOf('/') + 1)}`;
}
