import type { Units } from '../../src/events/types';
import { anthropicUnits } from '../anthropic/units';
import type { AnthropicUsage } from '../anthropic/types';
import { geminiUnits } from '../google/units';
import type { GeminiUsage } from '../google/types';
import { chatUnits, responsesUnits } from '../openai/units';
import type { ChatUsage, ResponsesUsage } from '../openai/types';

/**
 * An AI SDK usage: the provider spec's (`inputTokens: { total, noCache, cacheRead, cacheWrite }`,
 * `outputTokens: { total, text, reasoning }`) or the `ai` package's (`inputTokens: number`,
 * `inputTokenDetails`, `outputTokenDetails`); both may carry the provider's `raw` usage.
 */
export interface AiSdkUsage {
  inputTokens?: number | { total?: number; noCache?: number; cacheRead?: number; cacheWrite?: number };
  outputTokens?: number | { total?: number; text?: number; reasoning?: number };
  inputTokenDetails?: { noCacheTokens?: number; cacheReadTokens?: number; cacheWriteTokens?: number };
  outputTokenDetails?: { textTokens?: number; reasoningTokens?: number };
  raw?: Record<string, unknown>;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Units of one AI SDK model call. The provider's raw usage is preferred where this SDK knows its
 * shape (it keeps what the normalised usage loses: Anthropic's 1-hour cache writes, web searches,
 * the large-context tier, Gemini's modalities): OpenAI chat (`prompt_tokens`), OpenAI Responses
 * (`input_tokens`), Anthropic (`input_tokens` with `category` `system.anthropic`, or cache fields)
 * and Gemini (`promptTokenCount`, with `model` for its large-context tier), each converted as the
 * direct SDK adapter does. Otherwise the normalised usage: `text` = non-cached input / text
 * output, `text_cache_read`, `text_cache_write`, `reasoning` (each only when > 0).
 *
 * @example
 * ```ts
 * aiSdkUnits('system.openai', { inputTokens: { total: 10, noCache: 6, cacheRead: 4 }, outputTokens: { total: 5, text: 5 } });
 * // { text: { input: 6, output: 5 }, text_cache_read: { input: 4 } }
 * ```
 */
export function aiSdkUnits(category: string, usage: AiSdkUsage | null | undefined, model?: string): Units {
  if (!usage) return {};
  const raw = usage.raw;
  if (raw && typeof raw === 'object') {
    if (num(raw.prompt_tokens) !== undefined) return chatUnits(raw as ChatUsage);
    if (num(raw.promptTokenCount) !== undefined) return geminiUnits(raw as GeminiUsage, model);
    if (num(raw.input_tokens) !== undefined) {
      const anthropicShape = category === 'system.anthropic' || 'cache_read_input_tokens' in raw || 'cache_creation_input_tokens' in raw;
      if (anthropicShape) return anthropicUnits(raw as AnthropicUsage);
      if (category === 'system.openai' || category === 'system.azureopenai') return responsesUnits(raw as ResponsesUsage);
    }
  }
  return normalisedUnits(usage);
}

function normalisedUnits(usage: AiSdkUsage): Units {
  const inObj = typeof usage.inputTokens === 'object' ? usage.inputTokens : undefined;
  const outObj = typeof usage.outputTokens === 'object' ? usage.outputTokens : undefined;
  const inTotal = num(inObj ? inObj.total : usage.inputTokens) ?? 0;
  const outTotal = num(outObj ? outObj.total : usage.outputTokens) ?? 0;
  const read = num(inObj?.cacheRead ?? usage.inputTokenDetails?.cacheReadTokens) ?? 0;
  const write = num(inObj?.cacheWrite ?? usage.inputTokenDetails?.cacheWriteTokens) ?? 0;
  const reasoning = num(outObj?.reasoning ?? usage.outputTokenDetails?.reasoningTokens) ?? 0;
  const input = num(inObj?.noCache ?? usage.inputTokenDetails?.noCacheTokens) ?? Math.max(0, inTotal - read - write);
  const output = num(outObj?.text ?? usage.outputTokenDetails?.textTokens) ?? Math.max(0, outTotal - reasoning);
  const units: Units = { text: { input, output } };
  if (read > 0) units.text_cache_read = { input: read };
  if (write > 0) units.text_cache_write = { input: write };
  if (reasoning > 0) units.reasoning = { output: reasoning };
  return units;
}

/**
 * Units of an AI SDK embedding call (`usage.tokens`), as the OpenAI embeddings adapter records
 * them: `{ text: { input: tokens, output: 0 } }`; `{}` without a count.
 *
 * @example
 * ```ts
 * aiSdkEmbeddingUnits({ tokens: 7 }); // { text: { input: 7, output: 0 } }
 * ```
 */
export function aiSdkEmbeddingUnits(usage: { tokens?: number } | null | undefined): Units {
  const tokens = num(usage?.tokens);
  return tokens === undefined ? {} : { text: { input: tokens, output: 0 } };
}
