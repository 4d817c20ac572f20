import type { Units } from 'payi-instrument';

/**
 * Provider usage objects → Pay-i units, for calls metered by the proxy routes. The same unit
 * rules as the SDK's adapters (contract §5), written here again because the collector shares only
 * the wire types with the SDK.
 */
type Obj = Record<string, unknown>;

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** OpenAI chat completions, embeddings and Responses API usage. */
export function openaiUnits(usage: unknown): Units {
  const u = obj(usage);
  if (!u) return {};
  const responses = u.input_tokens !== undefined || u.output_tokens !== undefined;
  const prompt = n(responses ? u.input_tokens : u.prompt_tokens);
  const completion = n(responses ? u.output_tokens : u.completion_tokens);
  const cached = n(obj(responses ? u.input_tokens_details : u.prompt_tokens_details)?.cached_tokens);
  const reasoning = n(obj(responses ? u.output_tokens_details : u.completion_tokens_details)?.reasoning_tokens);
  const units: Units = { text: { input: Math.max(0, prompt - cached), output: Math.max(0, completion - reasoning) } };
  if (cached > 0) units.text_cache_read = { input: cached };
  if (reasoning > 0) units.reasoning = { output: reasoning };
  return units;
}

/** Anthropic Messages usage, with cache units and the `_large_context` suffix at 200,000 input tokens. */
export function anthropicUnits(usage: unknown): Units {
  const u = obj(usage);
  if (!u) return {};
  const input = n(u.input_tokens);
  const read = n(u.cache_read_input_tokens);
  const creation = n(u.cache_creation_input_tokens);
  const c = obj(u.cache_creation);
  const write5m = n(c?.ephemeral_5m_input_tokens);
  const write1h = n(c?.ephemeral_1h_input_tokens);
  const s = input + read + Math.max(creation, write5m + write1h) >= 200_000 ? '_large_context' : '';
  const units: Units = { [`text${s}`]: { input, output: n(u.output_tokens) } };
  if (read > 0) units[`text_cache_read${s}`] = { input: read };
  if (write5m > 0 || write1h > 0) {
    if (write5m > 0) units[`text_cache_write${s}`] = { input: write5m };
    if (write1h > 0) units[`text_cache_write_1h${s}`] = { input: write1h };
  } else if (creation > 0) units[`text_cache_write${s}`] = { input: creation };
  const searches = n(obj(u.server_tool_use)?.web_search_requests);
  if (searches > 0) units.web_search_request = { output: searches };
  return units;
}

/** Bedrock Converse `usage` (`inputTokens`, ...) or InvokeModel `amazon-bedrock-invocationMetrics` (`inputTokenCount`, ...). */
export function bedrockUnits(usage: unknown): Units {
  const u = obj(usage);
  if (!u) return {};
  const input = n(u.inputTokens ?? u.inputTokenCount);
  const output = n(u.outputTokens ?? u.outputTokenCount);
  const read = n(u.cacheReadInputTokens ?? u.cacheReadInputTokenCount);
  const write = n(u.cacheWriteInputTokens ?? u.cacheWriteInputTokenCount);
  const units: Units = { text: { input, output } };
  if (read > 0) units.text_cache_read = { input: read };
  if (write > 0) units.text_cache_write = { input: write };
  return units;
}

/** Bedrock InvokeModel token counts from its response headers. */
export function bedrockHeaderUsage(header: (name: string) => string | null): Obj | undefined {
  const get = (name: string): number | undefined => {
    const v = header(name);
    return v === null ? undefined : Number(v);
  };
  const inputTokenCount = get('x-amzn-bedrock-input-token-count');
  const outputTokenCount = get('x-amzn-bedrock-output-token-count');
  if (inputTokenCount === undefined && outputTokenCount === undefined) return undefined;
  return {
    inputTokenCount,
    outputTokenCount,
    cacheReadInputTokenCount: get('x-amzn-bedrock-cache-read-input-token-count'),
    cacheWriteInputTokenCount: get('x-amzn-bedrock-cache-write-input-token-count'),
  };
}
