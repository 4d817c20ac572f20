import type { ProviderAdapter } from '../../src/recording/types';
import { instrumentOpenAI } from './adapter';

export { chatUnits, responsesUnits, chatFunctionCalls, responsesFunctionCalls } from './units';
export { instrumentOpenAI, isAzureClient } from './adapter';

/**
 * The OpenAI / Azure OpenAI adapter: instruments `chat.completions.create` (and `.parse`,
 * `.stream`), `responses.create` (and `.stream`, `.parse`) and `embeddings.create`; `AzureOpenAI`
 * clients are recorded as `system.azureopenai`. Its catalogue entry is in `providers/registry.ts`.
 *
 * @example
 * ```ts
 * const undo = adapter.patch(hub);
 * ```
 */
export const adapter: ProviderAdapter = { patch: instrumentOpenAI };
