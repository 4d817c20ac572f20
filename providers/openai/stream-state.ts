import type { FunctionCall, Units } from '../../src/events/types';
import { chatUnits, responsesUnits, responsesFunctionCalls } from './units';
import { letGo } from '../../src/internal/let-go';
import type { ChatCompletionLike, ChatUsage, ResponseLike, ResponseStreamEvent } from './types';

/** What a stream accumulator knows when the stream ends. */
export interface StreamSummary {
  responseId?: string;
  model?: string;
  units: Units;
  functionCalls: FunctionCall[];
  /** The response as JSON (chat: the array of chunks; Responses: the final response), when kept. */
  responseJson?: string;
  /** `performance.now()` when the first chunk with completion content (text, refusal, tool call) arrived. */
  firstContentAt?: number;
}

/** Accumulates one streamed call's chunks; `add()` returns false for a chunk to hide from the caller. */
export interface StreamAccumulator {
  add(chunk: unknown): boolean;
  /**
   * What the stream told, once, when the stream ended. `responseJson`: the chunks' JSON as the
   * provider sent it (from `SseTap.arrayJson`), used instead of serialising the parsed chunks again
   * when given. The chunks kept for the JSON are let go here (see {@link letGo}).
   */
  summary(responseJson?: string): StreamSummary;
  /** How many chunks were added (hidden ones included). */
  readonly count: number;
}

/**
 * Accumulates a Chat Completions stream: id and model from the chunks, usage from the usage chunk
 * (hidden when `hideUsageChunk`, i.e. the SDK asked for it), tool-call deltas joined per index.
 *
 * @example
 * ```ts
 * const acc = chatStreamAccumulator(true, false);
 * for (const chunk of chunks) if (acc.add(chunk)) yield chunk;
 * acc.summary().units;
 * ```
 */
export function chatStreamAccumulator(hideUsageChunk: boolean, keepJson: boolean): StreamAccumulator {
  let id: string | undefined;
  let model: string | undefined;
  let usage: ChatUsage | undefined;
  const calls = new Map<string, { name: string; arguments: string }>();
  const kept: unknown[] = [];
  let firstContentAt: number | undefined;
  let chunks = 0;
  return {
    add(chunk) {
      const c = chunk as ChatCompletionLike;
      id ??= c.id;
      model ??= c.model;
      const choices = Array.isArray(c.choices) ? c.choices : undefined;
      // Only when content comes after the first chunk (else it is the first token's time).
      if (firstContentAt === undefined && choices) {
        for (const ch of choices) {
          if (hasContent(ch.delta)) {
            firstContentAt = chunks > 0 ? performance.now() : -1;
            break;
          }
        }
      }
      chunks++;
      if (c.usage) usage = c.usage;
      if (choices) {
        for (const choice of choices) {
          const d = choice.delta;
          if (!d) continue;
          if (d.function_call) join(calls, `${choice.index ?? 0}:f`, d.function_call);
          if (d.tool_calls) for (const t of d.tool_calls) if (t.function) join(calls, `${choice.index ?? 0}:${t.index ?? 0}`, t.function);
        }
      }
      const hide = hideUsageChunk && choices !== undefined && choices.length === 0 && !!c.usage;
      if (keepJson) kept.push(chunk);
      return !hide;
    },
    get count() {
      return chunks;
    },
    summary(responseJson) {
      const s: StreamSummary = { units: chatUnits(usage), functionCalls: [...calls.values()].filter((f) => f.name).map((f) => ({ name: f.name, arguments: f.arguments })) };
      if (id) s.responseId = id;
      if (model) s.model = model;
      if (keepJson) s.responseJson = responseJson ?? JSON.stringify(kept);
      letGo(kept);
      if (firstContentAt !== undefined && firstContentAt >= 0) s.firstContentAt = firstContentAt;
      return s;
    },
  };
}

/** True for a chat delta that carries completion content (not just the role). */
function hasContent(d: unknown): boolean {
  const x = d as { content?: unknown; refusal?: unknown; tool_calls?: unknown[]; function_call?: unknown } | undefined;
  return !!x && ((typeof x.content === 'string' && x.content !== '') || (typeof x.refusal === 'string' && x.refusal !== '') || (Array.isArray(x.tool_calls) && x.tool_calls.length > 0) || !!x.function_call);
}

function join(calls: Map<string, { name: string; arguments: string }>, key: string, part: { name?: string; arguments?: string }): void {
  const cur = calls.get(key) ?? { name: '', arguments: '' };
  if (part.name) cur.name += part.name;
  if (part.arguments) cur.arguments += part.arguments;
  calls.set(key, cur);
}

/**
 * Accumulates a Responses API stream: id and model from `response.created`, usage and the final
 * response from `response.completed` (or `.incomplete` / `.failed`), function calls from
 * `response.output_item.done` items. Hides nothing.
 *
 * @example
 * ```ts
 * const acc = responsesStreamAccumulator(false);
 * acc.add({ type: 'response.completed', response });
 * ```
 */
export function responsesStreamAccumulator(keepJson: boolean): StreamAccumulator {
  let first: ResponseLike | undefined;
  let final: ResponseLike | undefined;
  const calls: FunctionCall[] = [];
  let firstContentAt: number | undefined;
  let events = 0;
  return {
    get count() {
      return events;
    },
    add(chunk) {
      const e = chunk as ResponseStreamEvent;
      if (firstContentAt === undefined && typeof e.type === 'string' && e.type.endsWith('.delta')) firstContentAt = events > 0 ? performance.now() : -1;
      events++;
      if (e.response && !first) first = e.response;
      if (e.response && (e.type === 'response.completed' || e.type === 'response.incomplete' || e.type === 'response.failed')) final = e.response;
      if (e.type === 'response.output_item.done' && e.item?.type === 'function_call' && e.item.name) {
        calls.push(e.item.arguments === undefined ? { name: e.item.name } : { name: e.item.name, arguments: e.item.arguments });
      }
      return true;
    },
    summary() {
      const r = final ?? first;
      const s: StreamSummary = { units: responsesUnits(final?.usage), functionCalls: calls.length > 0 ? calls : responsesFunctionCalls(final) };
      if (r?.id) s.responseId = r.id;
      if (r?.model) s.model = r.model;
      if (keepJson && final) s.responseJson = JSON.stringify(final);
      first = final = undefined;
      if (firstContentAt !== undefined && firstContentAt >= 0) s.firstContentAt = firstContentAt;
      return s;
    },
  };
}

/**
 * A chat chunk without the `usage: null` the API adds to every chunk once usage was asked for (the
 * caller did not ask, so the chunk looks as without it). A copy, not a `delete`: on Node 24 a
 * deleted key turns the chunk into a slow dictionary object (its JSON then costs about 40 % more).
 * Other chunks are returned as they are.
 *
 * @example
 * ```ts
 * withoutNullUsage({ id: 'c1', choices: [], usage: null }); // { id: 'c1', choices: [] }
 * ```
 */
export function withoutNullUsage(chunk: unknown): unknown {
  const c = chunk as Record<string, unknown> | null;
  if (c === null || typeof c !== 'object' || c.usage !== null || Object.getPrototypeOf(c) !== Object.prototype) return chunk;
  const copy: Record<string, unknown> = {};
  for (const k in c) if (k !== 'usage' && Object.prototype.hasOwnProperty.call(c, k)) copy[k] = c[k];
  return copy;
}
