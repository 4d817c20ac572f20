import type { ProviderAdapter } from '../../src/recording/types';
import { instrumentBedrock } from './adapter';

export { instrumentBedrock, BEDROCK_PACKAGE } from './adapter';
export { BEDROCK_CATEGORY } from './send';
export { bedrockFamily, converseUnits, anthropicUnits, invokeBodyInfo, invocationMetricsUnits, guardrailUnits, converseFunctionCalls } from './units';
export type { BedrockFamily, InvokeBodyInfo } from './units';

/**
 * The AWS Bedrock runtime adapter: `@aws-sdk/client-bedrock-runtime` `send()` with Converse,
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream (see docs/bedrock.md). Its catalogue
 * entry is in `providers/registry.ts`.
 *
 * @example
 * ```ts
 * const undo = adapter.patch(hub);
 * ```
 */
export const adapter: ProviderAdapter = { patch: instrumentBedrock };
