export { chunkText, requestText } from './text';
export { estimateTokens } from './estimate';
export { reportedSource, settleUsage, USAGE_SOURCE_PROPERTY, type UsageFacts, type UsageSource } from './source';
