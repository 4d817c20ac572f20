import { safeExecute } from '../../src/internal/logger';
import type { AiSdkContentPart, AiSdkStreamPart } from './types';
import type { AiSdkUsage } from './units';

/** How a streamed AI SDK model call ended (`properties["system.stream_outcome"]`). */
export type StreamOutcome = 'completed' | 'abandoned' | 'failed';

/**
 * What a model stream (`doStream`'s `LanguageModelV4StreamPart`s) has told so far: the response id
 * and model (`response-metadata`), the usage (`finish`), the tool calls, a provider `error` part.
 */
export class AiSdkStreamState {
  id: string | undefined;
  modelId: string | undefined;
  usage: AiSdkUsage | undefined;
  error: unknown;
  readonly toolCalls: AiSdkContentPart[] = [];

  /** Reads one part; returns `true` when it is content (text, reasoning, tool input or a tool call). */
  see(part: AiSdkStreamPart): boolean {
    switch (part?.type) {
      case 'stream-start':
      case 'raw':
        return false;
      case 'response-metadata':
        if (part.id) this.id = part.id;
        if (part.modelId) this.modelId = part.modelId;
        return false;
      case 'finish':
        this.usage = part.usage;
        return false;
      case 'error':
        this.error = part.error ?? 'stream error';
        return false;
      case 'tool-call':
        this.toolCalls.push(part);
        return true;
      default:
        return true;
    }
  }
}

/** What {@link observeModelStream} reports. */
export interface StreamObserver {
  /** A content part arrived (the first one is the time to first chunk). */
  content(): void;
  /** The stream ended: at its `finish` part or its end, cancelled or aborted by the caller, or broken. */
  end(outcome: StreamOutcome, error?: unknown): void;
}

/**
 * A pass-through of a model stream: the caller gets every part as it arrives (nothing buffered),
 * while `state` reads it and `on` hears how it ends. The AI SDK may stop reading after the
 * `finish` part, so the end is reported there already; a stream cancelled by its reader, or
 * aborted (`AbortError` / `TimeoutError`), is `abandoned`; any other error, or an `error` part, is
 * `failed`.
 *
 * @example
 * ```ts
 * result.stream = observeModelStream(result.stream, state, { content: () => mark(), end: (outcome) => record(outcome) });
 * ```
 */
export function observeModelStream<P extends AiSdkStreamPart>(source: ReadableStream<P>, state: AiSdkStreamState, on: StreamObserver): ReadableStream<P> {
  const reader = source.getReader();
  const endOk = (): void => on.end(state.error !== undefined ? 'failed' : 'completed', state.error);
  return new ReadableStream<P>({
    async pull(controller) {
      let next: ReadableStreamReadResult<P>;
      try {
        next = await reader.read();
      } catch (err) {
        on.end(isAbort(err) ? 'abandoned' : 'failed', err);
        controller.error(err);
        return;
      }
      if (next.done) {
        endOk();
        controller.close();
        return;
      }
      const part = next.value;
      safeExecute('reading an AI SDK stream part', () => state.see(part) && on.content(), undefined);
      controller.enqueue(part);
      if (part?.type === 'finish') endOk();
    },
    async cancel(reason) {
      on.end('abandoned');
      await reader.cancel(reason);
    },
  });
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}
