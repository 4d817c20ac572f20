export { mergeFrame, type MergeHooks } from './merge';
export { compileScope, trackContext, track, getContext, resetScopeWarnings, type ScopeFactory } from './scope';
export { currentFrame, inScope, runWithFrame, setGlobalFrame, getGlobalFrame } from './store';
export { assertScopeOptions, scopeValueProblem } from './validate';
export * from './types';
