import type { ProviderAdapter } from '../types';
import { instrumentOpenAI } from './adapter';
import { OPENAI_SUPPORTED_VERSIONS } from './types';

export { chatUnits, responsesUnits, chatFunctionCalls, responsesFunctionCalls } from './units';
export { instrumentOpenAI, isAzureClient } from './adapter';
export { OPENAI_SUPPORTED_VERSIONS } from './types';

/**
 * The OpenAI / Azure OpenAI adapter (`openai` >= 5 < 7): instruments `chat.completions.create`
 * (and `.parse`, `.stream`), `responses.create` (and `.stream`, `.parse`) and `embeddings.create`;
 * `AzureOpenAI` clients are recorded as `system.azureopenai`. Registered in `providers/registry.ts`.
 *
 * @example
 * ```ts
 * const undo = openaiAdapter.instrument(hub);
 * ```
 */
export const openaiAdapter: ProviderAdapter = {
  instrumentNames: ['openai', 'azureopenai'],
  packageName: 'openai',
  supportedVersions: OPENAI_SUPPORTED_VERSIONS,
  instrument: instrumentOpenAI,
};
