import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks code that runs inside a model call a framework integration (the AI SDK's) is already
 * recording: a provider SDK call made there (an instrumented `openai` client under an AI SDK
 * model) must not give a second event for the same request.
 */
const storage = new AsyncLocalStorage<true>();

/**
 * Runs `fn` with provider-call recording suppressed (the framework records the call instead).
 *
 * @example
 * ```ts
 * const result = await runRecordedByFramework(() => execute());
 * ```
 */
export function runRecordedByFramework<T>(fn: () => T): T {
  return storage.run(true, fn);
}

/**
 * True inside {@link runRecordedByFramework}: a provider adapter records nothing there.
 *
 * @example
 * ```ts
 * if (recordedByFramework()) return undefined;
 * ```
 */
export function recordedByFramework(): boolean {
  return storage.getStore() === true;
}
