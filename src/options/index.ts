export { resolveOptions, applicationName, INGEST_DEFAULTS } from './resolve';
export { readEnv, DEFAULT_BASE_URL, type PayiEnv } from './env';
export type * from './types';
