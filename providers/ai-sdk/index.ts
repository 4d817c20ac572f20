import type { ProviderAdapter, Unpatch } from '../../src/recording/types';
import { createPayiTelemetry } from './integration';

export { payiMiddleware, type PayiLanguageModelMiddleware } from './middleware';
export { aiSdkTarget, type AiSdkTarget } from './category';

type Registry = { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

/**
 * The Vercel AI SDK integration (`ai` 7): registers a telemetry integration the way the AI SDK's
 * `registerTelemetry()` does (it appends to `globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`, which
 * every copy of `ai` 7 reads, CommonJS or ESM), so `generateText`, `streamText`,
 * `generateObject`, `streamObject`, `embed` and `embedMany` are recorded with no code change.
 * The undo removes it. Its `instruments` name is `aisdk` (on by default); an AI SDK call is
 * recorded whichever provider it goes to. Registered in `providers/registry.ts`.
 */
export const adapter: ProviderAdapter = {
  patch(hub): Unpatch {
    const g = globalThis as Registry;
    const integration = createPayiTelemetry(hub);
    (g.AI_SDK_TELEMETRY_INTEGRATIONS ??= []).push(integration);
    return () => {
      const list = g.AI_SDK_TELEMETRY_INTEGRATIONS;
      const at = list?.indexOf(integration) ?? -1;
      if (list && at >= 0) list.splice(at, 1);
    };
  },
};
