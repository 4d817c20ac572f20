import type { FunctionCall, Units } from '../../src/events/types';
import type { AnthropicUsage } from '../anthropic/types';
import { anthropicUnits as anthropicFamilyUnits } from '../anthropic/units';

/**
 * Usage → units for AWS Bedrock (contract §5), pure functions with no I/O. One function per body
 * shape: Converse, and the InvokeModel bodies of each model family.
 */

/** The model families whose InvokeModel bodies are read (anything else falls back to the response headers). */
export type BedrockFamily = 'anthropic' | 'nova' | 'llama' | 'titan-embed' | 'titan-text' | 'gpt-oss' | 'other';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The family of a model id, inference profile (`us.anthropic...`) or ARN.
 *
 * @example
 * ```ts
 * bedrockFamily('us.anthropic.claude-3-5-sonnet-20240620-v1:0'); // 'anthropic'
 * ```
 */
export function bedrockFamily(modelId: string | undefined): BedrockFamily {
  const id = (modelId ?? '').toLowerCase();
  if (id.includes('anthropic.')) return 'anthropic';
  if (id.includes('amazon.nova')) return 'nova';
  if (id.includes('meta.llama')) return 'llama';
  if (id.includes('amazon.titan-embed')) return 'titan-embed';
  if (id.includes('amazon.titan-text')) return 'titan-text';
  if (id.includes('openai.')) return 'gpt-oss';
  return 'other';
}

/** Adds `{ input }` of a cache unit when the count is above zero. */
function addInput(units: Units, name: string, count: number | undefined): void {
  if (count !== undefined && count > 0) units[name] = { ...(units[name] ?? {}), input: count };
}

/**
 * Converse / ConverseStream `usage`: `text` from `inputTokens`/`outputTokens`, `text_cache_read` and
 * `text_cache_write` from the cache counts (when above zero).
 *
 * @example
 * ```ts
 * converseUnits({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 100 });
 * // { text: { input: 10, output: 5 }, text_cache_read: { input: 100 } }
 * ```
 */
export function converseUnits(usage: unknown): Units {
  const u = obj(usage);
  if (!u) return {};
  const units: Units = { text: { input: num(u.inputTokens) ?? 0, output: num(u.outputTokens) ?? 0 } };
  addInput(units, 'text_cache_read', num(u.cacheReadInputTokens));
  addInput(units, 'text_cache_write', num(u.cacheWriteInputTokens));
  return units;
}

/**
 * Anthropic messages `usage` (InvokeModel with a Claude model): the Anthropic family's one units
 * function (`providers/anthropic/units.ts`), so Claude on Bedrock is metered exactly as Claude on
 * Anthropic's API: `text`, `text_cache_read`, `text_cache_write` / `text_cache_write_1h` (from
 * `cache_creation`, else `cache_creation_input_tokens`), `web_search_request`, and the
 * `_large_context` suffix on every input unit when the whole input is 200,000 tokens or more.
 *
 * @example
 * ```ts
 * anthropicUnits({ input_tokens: 10, output_tokens: 5 }); // { text: { input: 10, output: 5 } }
 * ```
 */
export function anthropicUnits(usage: unknown): Units {
  return anthropicFamilyUnits(obj(usage) as AnthropicUsage | undefined);
}

/**
 * `amazon-bedrock-invocationMetrics` of an invoke stream (or the `x-amzn-bedrock-*-token-count`
 * response headers, read into the same shape): `text` and the cache units.
 *
 * @example
 * ```ts
 * invocationMetricsUnits({ inputTokenCount: 7, outputTokenCount: 3 }); // { text: { input: 7, output: 3 } }
 * ```
 */
export function invocationMetricsUnits(metrics: unknown): Units {
  const m = obj(metrics);
  if (!m || (num(m.inputTokenCount) === undefined && num(m.outputTokenCount) === undefined)) return {};
  const units: Units = { text: { input: num(m.inputTokenCount) ?? 0, output: num(m.outputTokenCount) ?? 0 } };
  addInput(units, 'text_cache_read', num(m.cacheReadInputTokenCount));
  addInput(units, 'text_cache_write', num(m.cacheWriteInputTokenCount));
  return units;
}

/** The token-count response headers of InvokeModel, in the invocation-metrics shape. */
export function headerMetrics(headers: Record<string, string> | undefined): Obj | undefined {
  if (!headers) return undefined;
  const n = (name: string): number | undefined => (headers[name] === undefined ? undefined : Number(headers[name]));
  return {
    inputTokenCount: n('x-amzn-bedrock-input-token-count'),
    outputTokenCount: n('x-amzn-bedrock-output-token-count'),
    cacheReadInputTokenCount: n('x-amzn-bedrock-cache-read-input-token-count'),
    cacheWriteInputTokenCount: n('x-amzn-bedrock-cache-write-input-token-count'),
  };
}

/** What an InvokeModel response body tells about the call. */
export interface InvokeBodyInfo {
  units: Units;
  /** The body's own id (Anthropic `msg_...`, gpt-oss `chatcmpl-...`). */
  responseId?: string;
  functionCalls: FunctionCall[];
  /** `amazon-bedrock-guardrailAction`, when the body carries it. */
  guardrailAction?: string;
  /** `amazon-bedrock-trace`, when the body carries it. */
  trace?: unknown;
}

const args = (input: unknown): string => (typeof input === 'string' ? input : JSON.stringify(input ?? {}));

/**
 * Reads units, id and tool calls from a parsed InvokeModel response body by model family; falls
 * back to the token-count headers when the body has no usage.
 *
 * @example
 * ```ts
 * invokeBodyInfo('meta.llama3-8b-instruct-v1:0', { prompt_token_count: 5, generation_token_count: 9 }).units;
 * // { text: { input: 5, output: 9 } }
 * ```
 */
export function invokeBodyInfo(modelId: string | undefined, body: unknown, headers?: Record<string, string>): InvokeBodyInfo {
  const b = obj(body) ?? {};
  const info: InvokeBodyInfo = { units: {}, functionCalls: [] };
  const family = bedrockFamily(modelId);
  if (family === 'anthropic') {
    info.units = anthropicUnits(b.usage);
    if (typeof b.id === 'string') info.responseId = b.id;
    for (const c of Array.isArray(b.content) ? b.content : []) {
      const block = obj(c);
      if (block?.type === 'tool_use' && typeof block.name === 'string') info.functionCalls.push({ name: block.name, arguments: args(block.input) });
    }
  } else if (family === 'nova') {
    const u = obj(b.usage);
    if (u) {
      info.units = { text: { input: num(u.inputTokens) ?? 0, output: num(u.outputTokens) ?? 0 } };
      addInput(info.units, 'text_cache_read', num(u.cacheReadInputTokenCount));
      addInput(info.units, 'text_cache_write', num(u.cacheWriteInputTokenCount));
    }
    info.functionCalls = converseFunctionCalls(obj(obj(b.output)?.message)?.content);
  } else if (family === 'llama') {
    if (num(b.prompt_token_count) !== undefined) info.units = { text: { input: num(b.prompt_token_count) ?? 0, output: num(b.generation_token_count) ?? 0 } };
  } else if (family === 'titan-embed') {
    if (num(b.inputTextTokenCount) !== undefined) info.units = { text: { input: num(b.inputTextTokenCount) ?? 0 } };
  } else if (family === 'titan-text') {
    const results = Array.isArray(b.results) ? b.results : [];
    const output = results.reduce((sum: number, r) => sum + (num(obj(r)?.tokenCount) ?? 0), 0);
    if (num(b.inputTextTokenCount) !== undefined) info.units = { text: { input: num(b.inputTextTokenCount) ?? 0, output } };
  } else if (family === 'gpt-oss') {
    const u = obj(b.usage);
    if (u) info.units = { text: { input: num(u.prompt_tokens) ?? 0, output: num(u.completion_tokens) ?? 0 } };
    if (typeof b.id === 'string') info.responseId = b.id;
    for (const choice of Array.isArray(b.choices) ? b.choices : []) {
      for (const tc of Array.isArray(obj(obj(choice)?.message)?.tool_calls) ? (obj(obj(choice)?.message)?.tool_calls as unknown[]) : []) {
        const fn = obj(obj(tc)?.function);
        if (typeof fn?.name === 'string') info.functionCalls.push({ name: fn.name, arguments: args(fn.arguments) });
      }
    }
  }
  if (Object.keys(info.units).length === 0) info.units = invocationMetricsUnits(headerMetrics(headers));
  if (typeof b['amazon-bedrock-guardrailAction'] === 'string') info.guardrailAction = b['amazon-bedrock-guardrailAction'];
  if (b['amazon-bedrock-trace'] !== undefined) info.trace = b['amazon-bedrock-trace'];
  return info;
}

/**
 * Converse `toolUse` content blocks as function calls (`arguments` = the input as JSON).
 *
 * @example
 * ```ts
 * converseFunctionCalls([{ toolUse: { name: 'weather', input: { city: 'Paris' } } }]);
 * // [{ name: 'weather', arguments: '{"city":"Paris"}' }]
 * ```
 */
export function converseFunctionCalls(content: unknown): FunctionCall[] {
  const out: FunctionCall[] = [];
  for (const c of Array.isArray(content) ? content : []) {
    const tu = obj(obj(c)?.toolUse);
    if (tu && typeof tu.name === 'string') out.push({ name: tu.name, arguments: args(tu.input) });
  }
  return out;
}

const GUARDRAIL_UNITS: Readonly<Record<string, string>> = {
  topicPolicyUnits: 'guardrail_topic',
  contentPolicyUnits: 'guardrail_content',
  wordPolicyUnits: 'guardrail_word_free',
  sensitiveInformationPolicyUnits: 'guardrail_sensitive_information',
  sensitiveInformationPolicyFreeUnits: 'guardrail_sensitive_information_free',
  contextualGroundingPolicyUnits: 'guardrail_contextual_grounding',
  contentPolicyImageUnits: 'guardrail_content_image',
  automatedReasoningPolicyUnits: 'guardrail_automated_reasoning',
};

/**
 * Guardrail policy units (all as input) from a guardrail trace: Converse
 * `trace.guardrail.inputAssessment` or invoke `amazon-bedrock-trace.guardrail.input`.
 *
 * @example
 * ```ts
 * guardrailUnits({ guardrail: { inputAssessment: { g1: { invocationMetrics: { usage: { topicPolicyUnits: 1 } } } } } });
 * // { guardrail_topic: { input: 1 } }
 * ```
 */
export function guardrailUnits(trace: unknown): Units {
  const g = obj(obj(trace)?.guardrail);
  const assessments = obj(g?.inputAssessment) ?? obj(g?.input);
  const units: Units = {};
  for (const a of Object.values(assessments ?? {})) {
    const usage = obj(obj(obj(a)?.invocationMetrics)?.usage);
    for (const [key, unit] of Object.entries(GUARDRAIL_UNITS)) {
      const n = num(usage?.[key]);
      if (n) units[unit] = { input: (units[unit]?.input ?? 0) + n };
    }
  }
  return units;
}
