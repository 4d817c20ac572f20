import type { Units } from 'payi-instrument';
import { anthropicUnits as anthropicFamilyUnits, chatUnits, converseUnits, invocationMetricsUnits, responsesUnits, type AnthropicUsage, type ChatUsage, type ResponsesUsage } from 'payi-instrument/internal';

/**
 * Provider usage objects → Pay-i units, for calls metered by the proxy routes: each provider
 * family's one units function (`providers/<name>/units.ts`, the same the SDK's adapters use), its
 * counts then made whole numbers within the spec's `IngestUnits` bounds (0..2,147,483,647), since a
 * proxied answer is not checked like an ingested event.
 */
type Obj = Record<string, unknown>;

const INT32_MAX = 2_147_483_647;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const bound = (v: number | undefined): number | undefined => (v === undefined ? undefined : Number.isFinite(v) && v > 0 ? Math.min(INT32_MAX, Math.round(v)) : 0);

/**
 * `units` with every count a whole number in 0..2,147,483,647 (NaN and negatives become 0).
 * @example `bounded({ text: { input: 12.6, output: -1 } })` → `{ text: { input: 13, output: 0 } }`
 */
export function bounded(units: Units): Units {
  const out: Units = {};
  for (const [name, c] of Object.entries(units)) {
    const input = bound(c.input);
    const output = bound(c.output);
    out[name] = { ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}) };
  }
  return out;
}

/** OpenAI chat completions and embeddings usage (`prompt_tokens`, ...) or Responses API usage (`input_tokens`, ...). */
export function openaiUnits(usage: unknown): Units {
  const u = obj(usage);
  if (!u) return {};
  const responses = u.input_tokens !== undefined || u.output_tokens !== undefined;
  return bounded(responses ? responsesUnits(u as ResponsesUsage) : chatUnits(u as ChatUsage));
}

/** Anthropic Messages usage, with cache units and the `_large_context` suffix at 200,000 input tokens. */
export function anthropicUnits(usage: unknown): Units {
  const u = obj(usage);
  return u ? bounded(anthropicFamilyUnits(u as AnthropicUsage)) : {};
}

/** Bedrock Converse `usage` (`inputTokens`, ...) or InvokeModel `amazon-bedrock-invocationMetrics` (`inputTokenCount`, ...). */
export function bedrockUnits(usage: unknown): Units {
  const u = obj(usage);
  if (!u) return {};
  const metrics = u.inputTokenCount !== undefined || u.outputTokenCount !== undefined;
  return bounded(metrics ? invocationMetricsUnits(u) : converseUnits(u));
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
