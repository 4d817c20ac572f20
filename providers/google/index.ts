import type { ProviderAdapter } from '../../src/recording/types';
import { instrumentGoogle } from './adapter';

export { geminiUnits, geminiEmbedUnits, geminiFunctionCalls, geminiResource, GEMINI_LARGE_CONTEXT_THRESHOLD } from './units';
export { instrumentGoogle } from './adapter';

/**
 * The Google adapter (`@google/genai`, Gemini API and Vertex AI clients): `models.generateContent`,
 * `models.generateContentStream`, `models.embedContent` and chats built on them, recorded as
 * `system.google.vertex` with resource `google.<model>`. Its catalogue entry is in
 * `providers/registry.ts`.
 *
 * @example
 * ```ts
 * const undo = adapter.patch(hub);
 * ```
 */
export const adapter: ProviderAdapter = { patch: instrumentGoogle };
