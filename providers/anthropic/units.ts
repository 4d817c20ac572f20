import type { Units } from '../../src/events/types';
import type { AnthropicUsage } from './types';

/** Total input at or above which every input unit carries the `_large_context` suffix. */
export const LARGE_CONTEXT_THRESHOLD = 200_000;

const n = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Converts an Anthropic `usage` object into Pay-i units (contract §5), pure:
 * - `text` = `{ input: input_tokens, output: output_tokens }`;
 * - `text_cache_read.input` = `cache_read_input_tokens`;
 * - `text_cache_write.input` / `text_cache_write_1h.input` from `cache_creation`
 *   (`ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`), else `cache_creation_input_tokens`
 *   as `text_cache_write`;
 * - when input + cache read + cache creation >= 200,000, the `_large_context` suffix on each of
 *   those units (the units that carry input);
 * - `web_search_request.output` = `server_tool_use.web_search_requests`.
 * Cache and web search units are left out when their count is 0.
 *
 * @example
 * ```ts
 * anthropicUnits({ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100 });
 * // { text: { input: 10, output: 5 }, text_cache_read: { input: 100 } }
 * ```
 */
export function anthropicUnits(usage: AnthropicUsage | null | undefined): Units {
  if (!usage) return {};
  const input = n(usage.input_tokens);
  const read = n(usage.cache_read_input_tokens);
  const creation = n(usage.cache_creation_input_tokens);
  const c = usage.cache_creation;
  const write5m = n(c?.ephemeral_5m_input_tokens);
  const write1h = n(c?.ephemeral_1h_input_tokens);
  const split = write5m > 0 || write1h > 0;
  const total = input + read + Math.max(creation, write5m + write1h);
  const s = total >= LARGE_CONTEXT_THRESHOLD ? '_large_context' : '';

  const units: Units = { [`text${s}`]: { input, output: n(usage.output_tokens) } };
  if (read > 0) units[`text_cache_read${s}`] = { input: read };
  if (split) {
    if (write5m > 0) units[`text_cache_write${s}`] = { input: write5m };
    if (write1h > 0) units[`text_cache_write_1h${s}`] = { input: write1h };
  } else if (creation > 0) {
    units[`text_cache_write${s}`] = { input: creation };
  }
  const searches = n(usage.server_tool_use?.web_search_requests);
  if (searches > 0) units.web_search_request = { output: searches };
  return units;
}
