import type { ProviderAdapter } from './types';

/**
 * Every provider adapter, in one place: a new provider is one folder and one line here.
 * Adapters are loaded lazily so that a missing optional SDK costs nothing.
 */
export const adapterLoaders: readonly (() => ProviderAdapter)[] = [
  () => require('./openai').openaiAdapter,
  () => require('./anthropic').anthropicAdapter,
  () => require('./bedrock').bedrockAdapter,
  () => require('./ai-sdk').aiSdkAdapter,
];
