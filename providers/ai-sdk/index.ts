import type { ProviderAdapter } from '../../src/recording/types';
import { registerAiSdkTelemetry } from './adapter';

export { payiMiddleware, type PayiLanguageModelMiddleware } from './middleware';
export { aiSdkTarget, type AiSdkTarget } from './category';
export { isPayiTelemetry } from './adapter';

/**
 * The Vercel AI SDK integration (`ai` 7): a telemetry integration registered like
 * `registerTelemetry()` (see {@link registerAiSdkTelemetry}), so `generateText`, `streamText`,
 * `generateObject`, `streamObject`, `embed` and `embedMany` are recorded with no code change; the
 * undo removes it. Its `instruments` name is `aisdk` (on by default); an AI SDK call is recorded
 * whichever provider it goes to. Registered in `providers/registry.ts`.
 */
export const adapter: ProviderAdapter = { patch: registerAiSdkTelemetry };
