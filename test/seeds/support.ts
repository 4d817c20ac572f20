/**
 * A stand-in for "a GenAI call made here" in the seed examples: it reads the innermost frame the
 * way a provider adapter does (frame + the call's per-call headers, resolveAttribution) and
 * records the event that would be ingested, or the `xProxy-*` headers proxy mode would send.
 * The provider adapters themselves are tested with real SDK clients elsewhere; these tests are
 * about which attribution each seed example produces.
 */
import { currentFrame } from '../../src/context/store';
import { buildEvent } from '../../src/events/build';
import type { PayiEvent } from '../../src/events/types';
import { resolveAttribution, toProxyHeaders } from '../../src/headers/attribution';

/** What one simulated provider call produced. */
export interface RecordedCall {
  /** The event ingest mode would send. */
  event: PayiEvent;
  /** The `xProxy-*` headers proxy mode would put on the provider request. */
  proxyHeaders: Record<string, string>;
  /** Whether the frame says proxy mode. */
  proxy: boolean;
}

/** Makes a fake LLM client whose `create(prompt, { headers })` records the attribution of each call. */
export function recordingLlm(): { calls: RecordedCall[]; create(prompt: string, options?: { headers?: Record<string, string> }): Promise<string> } {
  const calls: RecordedCall[] = [];
  let n = 0;
  return {
    calls,
    async create(prompt, options = {}) {
      const frame = currentFrame() ?? {};
      const { attribution } = resolveAttribution(frame, options.headers);
      n += 1;
      const event = buildEvent(
        {
          category: 'system.openai',
          resource: 'gpt-3.5-turbo',
          units: { text: { input: prompt.length, output: 3 } },
          startedAt: new Date(),
          endToEndLatencyMs: 1,
          responseId: `chatcmpl-${n}`,
        },
        attribution,
      );
      calls.push({ event, proxyHeaders: toProxyHeaders(attribution), proxy: frame.proxy === true });
      await Promise.resolve();
      return `answer to ${prompt}`;
    },
  };
}
