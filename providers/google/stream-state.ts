import type { FunctionCall } from '../../src/events/types';
import type { GeminiResponse, GeminiUsage } from './types';
import { geminiFunctionCalls } from './units';

/**
 * What the adapter learns from the chunks of one `generateContentStream` (internal): the latest
 * `usageMetadata` (each chunk carries the totals so far), the response id and model version, the
 * `functionCall` parts, and the chunks themselves (for `provider_response_json`).
 *
 * @example
 * ```ts
 * const state = new GeminiStreamState(true);
 * for await (const chunk of stream) state.add(chunk);
 * geminiUnits(state.usage, state.modelVersion);
 * ```
 */
export class GeminiStreamState {
  usage: GeminiUsage | undefined;
  responseId: string | undefined;
  modelVersion: string | undefined;
  readonly chunks: unknown[] = [];
  private readonly calls: FunctionCall[] = [];
  private sawContent = false;

  constructor(private readonly keepJson: boolean) {}

  /** Takes one chunk; returns true when it is the first chunk with content (the first token). */
  add(chunk: GeminiResponse): boolean {
    if (!chunk || typeof chunk !== 'object') return false;
    if (this.keepJson) this.chunks.push(chunk);
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    if (typeof chunk.responseId === 'string') this.responseId = chunk.responseId;
    if (typeof chunk.modelVersion === 'string') this.modelVersion = chunk.modelVersion;
    this.calls.push(...geminiFunctionCalls(chunk));
    const hasContent = (chunk.candidates ?? []).some((c) => (c?.content?.parts ?? []).length > 0);
    const first = hasContent && !this.sawContent;
    if (hasContent) this.sawContent = true;
    return first;
  }

  /** The `functionCall` parts seen, in order. */
  functionCalls(): FunctionCall[] {
    return [...this.calls];
  }
}
