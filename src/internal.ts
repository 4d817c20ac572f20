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
