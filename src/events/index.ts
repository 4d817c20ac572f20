export * from './types';
export { buildEvent, responseHeaderPairs, type CallOutcome } from './build';
