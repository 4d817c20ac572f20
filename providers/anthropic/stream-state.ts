import type { FunctionCall } from '../../src/events/types';
import type { AnthropicStreamEvent, AnthropicUsage } from './types';

const copyUsage = (u: AnthropicUsage): AnthropicUsage => ({
  ...u,
  ...(u.cache_creation ? { cache_creation: { ...u.cache_creation } } : {}),
  ...(u.server_tool_use ? { server_tool_use: { ...u.server_tool_use } } : {}),
});

/**
 * What the adapter learns from the raw events of one Anthropic stream (internal): the message id
 * and model and the input side of `usage` from `message_start` (copied, because the SDK's
 * `MessageStream` mutates that object later), the output tokens (and any updated cumulative
 * counts) from `message_delta`, and the `tool_use` blocks with their `input_json_delta` pieces.
 *
 * @example
 * ```ts
 * const state = new AnthropicStreamState();
 * for await (const event of stream) state.add(event);
 * anthropicUnits(state.usage);
 * ```
 */
export class AnthropicStreamState {
  id: string | undefined;
  model: string | undefined;
  usage: AnthropicUsage | undefined;
  /** Every event seen, in order (for `provider_response_json`), when kept. */
  readonly events: unknown[] = [];
  /** How many events were seen. */
  private seen = 0;

  /** @param keepEvents whether to keep the events for `provider_response_json` (default: yes). */
  constructor(private readonly keepEvents = true) {}
  private readonly tools = new Map<number, { name: string; json: string; input: unknown }>();
  private sawDelta = false;
  /** `performance.now()` of the first content delta (the first completion token). */
  firstContentAt: number | undefined;

  /** Takes one stream event; returns true when it is the first content delta (the first token). */
  add(event: AnthropicStreamEvent): boolean {
    if (!event || typeof event !== 'object') return false;
    this.seen++;
    if (this.keepEvents) this.events.push(event);
    switch (event.type) {
      case 'message_start': {
        const m = event.message;
        this.id = m?.id ?? this.id;
        this.model = m?.model ?? this.model;
        if (m?.usage) this.usage = copyUsage(m.usage);
        return false;
      }
      case 'message_delta': {
        const u = event.usage;
        if (!u) return false;
        const merged: AnthropicUsage = { ...(this.usage ?? {}) };
        for (const [k, v] of Object.entries(copyUsage(u)) as [keyof AnthropicUsage, never][]) if (v !== null && v !== undefined) merged[k] = v;
        this.usage = merged;
        return false;
      }
      case 'content_block_start': {
        const b = event.content_block;
        if (b?.type === 'tool_use' && typeof event.index === 'number') this.tools.set(event.index, { name: String(b.name ?? ''), json: '', input: b.input });
        return false;
      }
      case 'content_block_delta': {
        const first = !this.sawDelta;
        this.sawDelta = true;
        if (first && this.seen > 1) this.firstContentAt = performance.now(); // not the stream's first event
        const d = event.delta;
        const tool = typeof event.index === 'number' ? this.tools.get(event.index) : undefined;
        if (tool && d?.type === 'input_json_delta' && typeof d.partial_json === 'string') tool.json += d.partial_json;
        return first;
      }
      default:
        return false;
    }
  }

  /** The `tool_use` blocks as `{ name, arguments }`, in block order. */
  functionCalls(): FunctionCall[] {
    return [...this.tools.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, t]) => ({ name: t.name, arguments: t.json !== '' ? t.json : JSON.stringify(t.input ?? {}) }));
  }
}
