/**
 * `payi-instrument/internal`: what the SDK shares with its companion package
 * `@payi-instrument/collector` (the local collector and the `payi` command), so that one rule
 * lives in one place. Not part of the SDK's public API: names here may change in any release;
 * applications import from `payi-instrument`.
 * @packageDocumentation
 */
export { readEnv, DEFAULT_BASE_URL, type PayiEnv } from './options/env';
export { USE_CASE_NAME_PATTERN, USE_CASE_NAME_RULE, useCaseNameProblem } from './internal/use-case-name';
export { INGEST_DEFAULTS } from './options/resolve';
// The wire table and its header encodings (the collector parses what the SDK sends with them).
export { ATTRIBUTION_FIELDS, OTHER_HEADERS, type AttributionField, type ValueKind } from './wire/fields';
export { decodeHeader, decodePropertiesHeader } from './wire/encode';
// The credential rule and the usage source, applied again by the collector to what it stores.
export { withoutCredentials } from './events/redact';
export { reportedSource } from './usage/source';
// One units module per provider family, shared with the collector's proxy metering. (The one
// place outside src/recording/catalogue.ts where src/ names providers/: this entry is for the
// companion package, not core code.)
export type { AnthropicUsage } from '../providers/anthropic/types';
export { anthropicUnits } from '../providers/anthropic/units';
export { converseUnits, invocationMetricsUnits } from '../providers/bedrock/units';
export type { ChatUsage, ResponsesUsage } from '../providers/openai/types';
export { chatUnits, responsesUnits } from '../providers/openai/units';
export { geminiResource, geminiUnits } from '../providers/google/units';
export { isOpenAIModelName } from '../providers/openai/units';
