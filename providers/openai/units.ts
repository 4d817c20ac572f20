import type { FunctionCall, Units } from '../../src/events/types';
import type { ChatCompletionLike, ChatUsage, ResponseLike, ResponsesUsage } from './types';

const n = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function split(input: number, output: number, cached: number, reasoning: number): Units {
  const units: Units = { text: { input: Math.max(0, input - cached), output: Math.max(0, output - reasoning) } };
  if (cached > 0) units.text_cache_read = { input: cached };
  if (reasoning > 0) units.reasoning = { output: reasoning };
  return units;
}

/**
 * Units of a Chat Completions or Embeddings usage (contract §5): `text.input` = prompt − cached,
 * `text.output` = completion − reasoning, `text_cache_read.input` = cached (when > 0),
 * `reasoning.output` = reasoning tokens (when > 0). `{}` when there is no usage.
 *
 * @example
 * ```ts
 * chatUnits({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 4 } });
 * // { text: { input: 6, output: 5 }, text_cache_read: { input: 4 } }
 * ```
 */
export function chatUnits(usage: ChatUsage | null | undefined): Units {
  if (!usage) return {};
  return split(n(usage.prompt_tokens), n(usage.completion_tokens), n(usage.prompt_tokens_details?.cached_tokens), n(usage.completion_tokens_details?.reasoning_tokens));
}

/**
 * Units of a Responses API usage: as {@link chatUnits}, from `input_tokens` / `output_tokens` and
 * their details. `{}` when there is no usage.
 *
 * @example
 * ```ts
 * responsesUnits({ input_tokens: 10, output_tokens: 30, output_tokens_details: { reasoning_tokens: 20 } });
 * // { text: { input: 10, output: 10 }, reasoning: { output: 20 } }
 * ```
 */
export function responsesUnits(usage: ResponsesUsage | null | undefined): Units {
  if (!usage) return {};
  return split(n(usage.input_tokens), n(usage.output_tokens), n(usage.input_tokens_details?.cached_tokens), n(usage.output_tokens_details?.reasoning_tokens));
}

/**
 * The tool and function calls of a chat completion: every choice's `tool_calls` (and the legacy
 * `function_call`), as `{ name, arguments }`.
 *
 * @example
 * ```ts
 * chatFunctionCalls(completion); // [{ name: 'get_weather', arguments: '{"city":"Paris"}' }]
 * ```
 */
export function chatFunctionCalls(completion: ChatCompletionLike | null | undefined): FunctionCall[] {
  const out: FunctionCall[] = [];
  for (const choice of completion?.choices ?? []) {
    const m = choice.message;
    if (m?.function_call?.name) out.push(call(m.function_call.name, m.function_call.arguments));
    for (const t of m?.tool_calls ?? []) if (t.function?.name) out.push(call(t.function.name, t.function.arguments));
  }
  return out;
}

/**
 * The `function_call` output items of a Responses API response, as `{ name, arguments }`.
 *
 * @example
 * ```ts
 * responsesFunctionCalls(response); // [{ name: 'get_weather', arguments: '{"city":"Paris"}' }]
 * ```
 */
export function responsesFunctionCalls(response: ResponseLike | null | undefined): FunctionCall[] {
  const out: FunctionCall[] = [];
  for (const item of response?.output ?? []) if (item.type === 'function_call' && item.name) out.push(call(item.name, item.arguments));
  return out;
}

function call(name: string, args: string | undefined): FunctionCall {
  return args === undefined ? { name } : { name, arguments: args };
}

/**
 * True for a name OpenAI's models have (`gpt-4o`, `o3-mini`, `text-embedding-3-small`, ...), as
 * opposed to an Azure deployment's own name (`prod-chat`): an Azure call's resource is the
 * response's `model` when its deployment is not named after one.
 *
 * @example
 * ```ts
 * isOpenAIModelName('gpt-4o-mini'); // true
 * isOpenAIModelName('prod-chat'); // false
 * ```
 */
export function isOpenAIModelName(name: string): boolean {
  return /^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage|computer-use|codex-)/i.test(name);
}
