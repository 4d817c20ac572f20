import type { ProviderAdapter, Unpatch } from '../types';
import { createPayiTelemetry } from './integration';

export { payiMiddleware, type PayiLanguageModelMiddleware } from './middleware';
export { aiSdkTarget, type AiSdkTarget } from './category';

type Registry = { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

/**
 * The Vercel AI SDK integration (`ai` 7): registers a telemetry integration the way the AI SDK's
 * `registerTelemetry()` does (it appends to `globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`, which
 * every copy of `ai` 7 reads, CommonJS or ESM), so `generateText`, `streamText`,
 * `generateObject`, `streamObject`, `embed` and `embedMany` are recorded with no code change.
 * The undo removes it. Enabled with any of the provider instruments (an AI SDK call is recorded
 * whichever provider it goes to). Registered in `providers/registry.ts`.
 */
export const aiSdkAdapter: ProviderAdapter = {
  instrumentNames: ['openai', 'azureopenai', 'anthropic', 'bedrock'],
  packageName: 'ai',
  supportedVersions: '>=7.0.0 <8',
  instrument(hub): Unpatch {
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
