import { PayiConfigError } from '../errors';
import { getLogger } from '../internal/logger';
import { randomUUID } from 'node:crypto';
import { mergeFrame, type MergeHooks } from './merge';
import { currentFrame, runWithFrame } from './store';
import { assertScopeOptions, scopeValueProblem } from './validate';
import type { CallInfo, Frame, PayiContext, ScopeValues, TrackOptions } from './types';
import { wrapInScope } from './wrap';

/** A compiled scope: builds the frame for one entry, from the call and the enclosing frame. */
export type ScopeFactory = (call: CallInfo) => Frame;

let warnedIgnoredId = false;

/** Logs at warn; a logger that throws must not break the user's call either. */
const warn = (obj: object | string, msg?: string): void => {
  try {
    if (msg === undefined) getLogger().warn(obj);
    else getLogger().warn(obj, msg);
  } catch {
    /* ignored: logging is best effort */
  }
};

const onIgnored = (fields: readonly string[]): void => {
  if (warnedIgnoredId) return;
  warnedIgnoredId = true;
  warn(`payi: ${fields.join(', ')} given with no useCaseName in scope; ignored (this warning is shown once)`);
};

const DEFAULT_HOOKS: MergeHooks = { onIgnored };

/** The empty frame: the parent of a scope entered where there is none. */
const EMPTY: Frame = Object.freeze({});

/**
 * Resets the one-time warnings (for tests and `shutdown()`).
 *
 * @example
 * ```ts
 * afterEach(() => resetScopeWarnings());
 * ```
 */
export function resetScopeWarnings(): void {
  warnedIgnoredId = false;
}

/**
 * Validates a scope's static options (throwing `PayiConfigError` naming `place`) and returns a
 * factory that builds the frame of each entry: function-valued options are evaluated with the
 * call; a function that throws or returns an invalid value is logged and that field inherits, so a
 * bad context value never breaks the user's call.
 *
 * @example
 * ```ts
 * const enter = compileScope({ userId: ({ args }) => String(args[0]) }, 'track(reply)');
 * const frame = enter({ args: ['u1'] });
 * ```
 */
export function compileScope(options: TrackOptions | undefined, place: string): ScopeFactory {
  assertScopeOptions(options, place);
  const statics: ScopeValues = {};
  const dynamics: [keyof ScopeValues, (call: CallInfo) => unknown][] = [];
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    if (typeof value === 'function') dynamics.push([key as keyof ScopeValues, value as (call: CallInfo) => unknown]);
    else (statics as Record<string, unknown>)[key] = value;
  }
  const frozenStatics = Object.freeze(statics);

  if (dynamics.length === 0) {
    // Frames are immutable and the merge is pure, so a static scope entered again under the same
    // parent frame gives the same frame: keep the last one, unless the merge made a new use case id
    // (each entry of a named scope under a different name is a new use case instance).
    let lastParent: Frame | undefined;
    let lastFrame: Frame = EMPTY;
    let madeId = false;
    const hooks: MergeHooks = {
      onIgnored,
      newId: () => {
        madeId = true;
        return randomUUID();
      },
    };
    return () => {
      const parent = currentFrame() ?? EMPTY;
      if (parent === lastParent) return lastFrame;
      madeId = false;
      const frame = safeMerge(frozenStatics, place, hooks);
      if (!madeId && frame !== parent) {
        lastParent = parent;
        lastFrame = frame;
      }
      return frame;
    };
  }
  return (call) => {
    const values: Record<string, unknown> = { ...frozenStatics };
    for (const [key, fn] of dynamics) {
      let v: unknown;
      try {
        v = fn(call);
      } catch (err) {
        warn({ err }, `payi: ${place}: the ${key} function threw; ${key} is inherited`);
        continue;
      }
      const problem = scopeValueProblem(key, v);
      if (problem) {
        warn(`payi: ${place}: ${problem}; ${key} is inherited`);
        continue;
      }
      values[key] = v;
    }
    return safeMerge(values as ScopeValues, place, DEFAULT_HOOKS);
  };
}

/** Whether any own enumerable option is a function (a value computed per call). */
function hasFunctionValue(options: object): boolean {
  for (const key in options) {
    if (Object.prototype.hasOwnProperty.call(options, key) && typeof (options as Record<string, unknown>)[key] === 'function') return true;
  }
  return false;
}

/** Merges with the enclosing frame; should that ever fail, the scope inherits the enclosing frame unchanged. */
function safeMerge(values: ScopeValues, place: string, hooks: MergeHooks): Frame {
  const parent = currentFrame() ?? EMPTY;
  try {
    return mergeFrame(parent, values, hooks);
  } catch (err) {
    warn({ err }, `payi: ${place}: building the scope failed; the enclosing scope's values are used`);
    return parent;
  }
}

/**
 * Runs `fn` now, inside a scope built from `options`, and returns what `fn` returns (a value or a
 * promise). Function-valued options receive `{ args: [] }`.
 *
 * @example
 * ```ts
 * await trackContext({ userId: req.user.id }, () => service.reply(prompt));
 * ```
 */
export function trackContext<T>(options: TrackOptions, fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new PayiConfigError(`trackContext: fn ${String(fn)} is not a function; expected trackContext(options, fn)`, 'fn', fn);
  }
  // entered once: validate and merge directly, without compiling a reusable factory
  const hasFunctions = options != null && typeof options === 'object' && hasFunctionValue(options);
  const frame = hasFunctions
    ? compileScope(options, 'trackContext')({ args: [] })
    : (assertScopeOptions(options, 'trackContext'), safeMerge((options ?? {}) as ScopeValues, 'trackContext', DEFAULT_HOOKS));
  return runWithFrame(frame, fn);
}

/**
 * Wraps `fn` so that every call runs inside a scope built from `options`, for plain JavaScript and
 * functional code. The wrapper has the same signature, `this`, `name` and `length`.
 *
 * @example
 * ```ts
 * const summarize = track({ useCaseName: 'summarizer' }, async (text: string) => client.chat.completions.create(...));
 * ```
 */
export function track<A extends unknown[], R, This = unknown>(
  options: TrackOptions,
  fn: (this: This, ...args: A) => R,
): (this: This, ...args: A) => R {
  if (typeof fn !== 'function') {
    throw new PayiConfigError(`track: fn ${String(fn)} is not a function; expected track(options, fn)`, 'fn', fn);
  }
  const method = fn.name || 'anonymous';
  // generators too: every step of the iterator runs in the call's frame
  return wrapInScope(fn, compileScope(options, `track(${method})`), method);
}

/**
 * The innermost frame as a plain frozen object (camelCase keys, absent fields left out); the
 * global frame outside every scope; `{}` when there is none.
 *
 * @example
 * ```ts
 * trackContext({ userId: 'u1' }, () => getContext().userId); // 'u1'
 * ```
 */
export function getContext(): PayiContext {
  return currentFrame() ?? EMPTY;
}

