import type { FunctionCall, Units } from '../../src/events/types';
import { letGo } from '../../src/internal/let-go';
import { jsonArray, jsonOf } from './json';
import { anthropicUnits, bedrockFamily, converseUnits, invocationMetricsUnits, type BedrockFamily } from './units';

/**
 * Accumulators for the two Bedrock streams: fed one event at a time as the caller reads it, they
 * keep what the event needs (usage, tool calls, stop reason, the events' JSON for prompt logging) and
 * never hold back or change the event itself.
 */

type Obj = Record<string, any>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** What a stream told about the call, so far. */
export interface StreamSummary {
  units: Units;
  functionCalls: FunctionCall[];
  responseId?: string;
  stopReason?: string;
  guardrailAction?: string;
  trace?: unknown;
  /**
   * For `provider_response_json`: the JSON array of the events seen (ConverseStream) or of the
   * decoded chunk bodies (invoke stream), each serialised as it arrived, while still in the
   * processor's caches (about half the cost of serialising them all at the end).
   */
  eventsJson: string;
}

/** Tool calls assembled from a start event (name) and input fragments, per content block index. */
class ToolCalls {
  private readonly calls = new Map<number, { name: string; arguments: string }>();
  start(index: unknown, name: unknown): void {
    if (typeof name === 'string') this.calls.set(Number(index ?? this.calls.size), { name, arguments: '' });
  }
  append(index: unknown, fragment: unknown): void {
    const call = this.calls.get(Number(index ?? -1));
    if (call && typeof fragment === 'string') call.arguments += fragment;
  }
  list(): FunctionCall[] {
    return [...this.calls.values()].map((c) => ({ name: c.name, arguments: c.arguments }));
  }
}

/**
 * ConverseStream events: `metadata.usage` gives the units, `contentBlockStart.start.toolUse` and
 * `contentBlockDelta.delta.toolUse.input` the tool calls, `messageStop.stopReason` the stop reason.
 *
 * @example
 * ```ts
 * const acc = new ConverseStreamAccumulator();
 * for await (const event of output.stream) acc.add(event);
 * acc.summary().units;
 * ```
 */
export class ConverseStreamAccumulator {
  private readonly tools = new ToolCalls();
  private readonly eventsJson: string[] = [];
  private usage: unknown;
  private stopReason: string | undefined;
  private trace: unknown;

  /** Takes one event; returns true when it carried content (for time to first token). */
  add(event: unknown): boolean {
    const e = obj(event) ?? {};
    this.eventsJson.push(jsonOf(event) ?? 'null');
    if (e.contentBlockStart) this.tools.start(e.contentBlockStart.contentBlockIndex, e.contentBlockStart.start?.toolUse?.name);
    if (e.contentBlockDelta) this.tools.append(e.contentBlockDelta.contentBlockIndex, e.contentBlockDelta.delta?.toolUse?.input);
    if (typeof e.messageStop?.stopReason === 'string') this.stopReason = e.messageStop.stopReason;
    if (e.metadata) {
      if (e.metadata.usage) this.usage = { ...e.metadata.usage };
      if (e.metadata.trace) this.trace = e.metadata.trace;
    }
    return !!(e.contentBlockDelta || e.contentBlockStart);
  }

  /** What the stream told, once, at its end: the events' JSON kept so far is let go of here. */
  summary(): StreamSummary {
    const s: StreamSummary = { units: converseUnits(this.usage), functionCalls: this.tools.list(), eventsJson: jsonArray(this.eventsJson) };
    letGo(this.eventsJson);
    if (this.stopReason) s.stopReason = this.stopReason;
    if (this.trace !== undefined) s.trace = this.trace;
    return s;
  }
}

/**
 * InvokeModelWithResponseStream events (`{ chunk: { bytes } }`, each a JSON body of the model
 * family): Anthropic `message_start`/`message_delta` usage, else `amazon-bedrock-invocationMetrics`,
 * else the family's own counts (Nova `metadata.usage`, Llama token counts).
 *
 * @example
 * ```ts
 * const acc = new InvokeStreamAccumulator('amazon.nova-lite-v1:0');
 * for await (const event of output.body) acc.add(event);
 * acc.summary().units;
 * ```
 */
export class InvokeStreamAccumulator {
  private readonly family: BedrockFamily;
  private readonly tools = new ToolCalls();
  private readonly chunksJson: string[] = [];
  private readonly decoder = new TextDecoder();
  private anthropicUsage: Obj | undefined;
  private metrics: unknown;
  private familyUnits: Units = {};
  private responseId: string | undefined;
  private stopReason: string | undefined;
  private guardrailAction: string | undefined;
  private trace: unknown;
  private llamaInput: number | undefined;

  constructor(modelId: string | undefined) {
    this.family = bedrockFamily(modelId);
  }

  /** Takes one event; returns true when it carried a chunk (for time to first token). */
  add(event: unknown): boolean {
    const bytes = obj(obj(event)?.chunk)?.bytes as Uint8Array | undefined;
    if (!(bytes instanceof Uint8Array)) return false;
    let c: Obj;
    try {
      c = obj(JSON.parse(this.decoder.decode(bytes))) ?? {};
    } catch {
      return true;
    }
    this.chunksJson.push(JSON.stringify(c));
    if (c['amazon-bedrock-invocationMetrics']) this.metrics = { ...c['amazon-bedrock-invocationMetrics'] };
    if (typeof c['amazon-bedrock-guardrailAction'] === 'string') this.guardrailAction = c['amazon-bedrock-guardrailAction'];
    if (c['amazon-bedrock-trace'] !== undefined) this.trace = c['amazon-bedrock-trace'];
    if (this.family === 'anthropic') this.addAnthropic(c);
    else if (this.family === 'nova') this.addNova(c);
    else if (this.family === 'llama') this.addLlama(c);
    else if (this.family === 'gpt-oss' && typeof c.id === 'string') this.responseId ??= c.id;
    return true;
  }

  private addAnthropic(c: Obj): void {
    if (c.type === 'message_start' && c.message) {
      if (typeof c.message.id === 'string') this.responseId = c.message.id;
      this.anthropicUsage = { ...(c.message.usage ?? {}) };
    } else if (c.type === 'message_delta') {
      this.anthropicUsage = { ...(this.anthropicUsage ?? {}), ...(obj(c.usage) ?? {}) };
      if (typeof c.delta?.stop_reason === 'string') this.stopReason = c.delta.stop_reason;
    } else if (c.type === 'content_block_start' && c.content_block?.type === 'tool_use') {
      this.tools.start(c.index, c.content_block.name);
    } else if (c.type === 'content_block_delta' && c.delta?.type === 'input_json_delta') {
      this.tools.append(c.index, c.delta.partial_json);
    }
  }

  private addNova(c: Obj): void {
    if (c.contentBlockStart) this.tools.start(c.contentBlockStart.contentBlockIndex, c.contentBlockStart.start?.toolUse?.name);
    if (c.contentBlockDelta) this.tools.append(c.contentBlockDelta.contentBlockIndex, c.contentBlockDelta.delta?.toolUse?.input);
    if (typeof c.messageStop?.stopReason === 'string') this.stopReason = c.messageStop.stopReason;
    if (c.metadata?.usage) this.familyUnits = converseUnits(c.metadata.usage);
  }

  private addLlama(c: Obj): void {
    if (typeof c.prompt_token_count === 'number') this.llamaInput = c.prompt_token_count;
    if (typeof c.generation_token_count === 'number') this.familyUnits = { text: { input: this.llamaInput ?? 0, output: c.generation_token_count } };
    if (typeof c.stop_reason === 'string') this.stopReason = c.stop_reason;
  }

  /** What the stream told, once, at its end: the events' JSON kept so far is let go of here. */
  summary(): StreamSummary {
    let units: Units = {};
    if (this.anthropicUsage) units = anthropicUnits(this.anthropicUsage);
    if (Object.keys(units).length === 0) units = invocationMetricsUnits(this.metrics);
    if (Object.keys(units).length === 0) units = this.familyUnits;
    const s: StreamSummary = { units, functionCalls: this.tools.list(), eventsJson: jsonArray(this.chunksJson) };
    letGo(this.chunksJson);
    if (this.responseId) s.responseId = this.responseId;
    if (this.stopReason) s.stopReason = this.stopReason;
    if (this.guardrailAction) s.guardrailAction = this.guardrailAction;
    if (this.trace !== undefined) s.trace = this.trace;
    return s;
  }
}
