import { AsyncLocalStorage } from 'node:async_hooks';
import type { Frame } from './types';

/**
 * The frame store: one AsyncLocalStorage, so frames follow `await`, promises, timers and event
 * callbacks and never leak between concurrent requests. The global frame (from
 * `payiInstrument()`'s options) is the fallback outside every scope.
 */
const storage = new AsyncLocalStorage<Frame>();
let globalFrame: Frame | undefined;

/**
 * The innermost frame, else the global frame, else `undefined` (no instrumentation).
 *
 * @example
 * ```ts
 * const frame = currentFrame(); // undefined: not instrumented here
 * ```
 */
export function currentFrame(): Frame | undefined {
  return storage.getStore() ?? globalFrame;
}

/**
 * True when a scope (not only the global frame) is active.
 *
 * @example
 * ```ts
 * if (!settings.globalInstrumentation && !inScope()) return original();
 * ```
 */
export function inScope(): boolean {
  return storage.getStore() !== undefined;
}

/**
 * Runs `fn` with `frame` as the innermost frame and returns what `fn` returns.
 *
 * @example
 * ```ts
 * runWithFrame(mergeFrame(currentFrame() ?? {}, { userId: 'u1' }), () => handler());
 * ```
 */
export function runWithFrame<T>(frame: Frame, fn: () => T): T {
  return storage.run(frame, fn);
}

/**
 * Sets (or, with `undefined`, removes) the outermost frame. Used by `payiInstrument()`/`shutdown()`.
 *
 * @example
 * ```ts
 * setGlobalFrame(mergeFrame({}, { useCaseName: 'my_app' }));
 * ```
 */
export function setGlobalFrame(frame: Frame | undefined): void {
  globalFrame = frame;
}

/**
 * The outermost frame, if any.
 *
 * @example
 * ```ts
 * getGlobalFrame()?.useCaseName; // 'my_app'
 * ```
 */
export function getGlobalFrame(): Frame | undefined {
  return globalFrame;
}
