/**
 * The AWS Bedrock runtime adapter: `@aws-sdk/client-bedrock-runtime` `send()` with Converse,
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream (see docs/bedrock.md).
 *
 * @example
 * ```ts
 * import { bedrockAdapter } from './providers/bedrock';
 * ```
 */
export { bedrockAdapter, BEDROCK_PACKAGE, BEDROCK_SUPPORTED_VERSIONS, findBedrockModules } from './adapter';
export { BEDROCK_CATEGORY } from './send';
export { bedrockFamily, converseUnits, anthropicUnits, invokeBodyInfo, invocationMetricsUnits, guardrailUnits, converseFunctionCalls } from './units';
export type { BedrockFamily, InvokeBodyInfo } from './units';
