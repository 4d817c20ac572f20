import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';

/** Called once with a watched module's exports (CommonJS) or namespace (ESM) when it has loaded. */
export type LoadedHandler = (exports: Record<string, unknown>) => void;

/** Stops a watch; a no-op after the module loaded. */
export type StopWatch = () => void;

interface NodeModuleInternals {
  _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  _cache: Record<string, { loaded?: boolean; exports?: unknown } | undefined>;
}

type RegisterHooks = (hooks: {
  load?: (url: string, context: unknown, next: (url: string, context?: unknown) => { format?: string; source?: unknown }) => { format?: string; source?: unknown };
}) => { deregister(): void };

const Module = nodeModule.Module as unknown as NodeModuleInternals;
const registerHooks = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;

/** The global callback the appended line of a watched ES module calls with its own namespace. */
const ESM_LOADED = Symbol.for('payi-instrument.esm-loaded');

const cjsWatches = new Map<string, Set<LoadedHandler>>();
const esmWatches = new Map<string, Set<LoadedHandler>>();
let originalLoad: NodeModuleInternals['_load'] | undefined;
let ourLoad: NodeModuleInternals['_load'] | undefined;
let esmHooks: { deregister(): void } | undefined;

/**
 * True when the CommonJS modules this package loads are Node's own (so `require.cache` and
 * `Module._load` see the application's loads); false under a module registry of its own, such as
 * jest's, where watching cannot work and callers load copies at once instead.
 */
export function canWatchCommonJs(ambientRequire: NodeJS.Require): boolean {
  return ambientRequire.cache === (Module._cache as unknown) && typeof Module._load === 'function';
}

/** True when ES modules can be watched (`module.registerHooks`: Node >= 22.15 and >= 23.5). */
export function canWatchEsm(): boolean {
  return typeof registerHooks === 'function';
}

/** The exports of a CommonJS file when Node has finished loading it, else `undefined`. */
export function loadedCommonJs(file: string): Record<string, unknown> | undefined {
  const m = Module._cache[file];
  return m?.loaded && m.exports && (typeof m.exports === 'object' || typeof m.exports === 'function') ? (m.exports as Record<string, unknown>) : undefined;
}

function settle(watches: Map<string, Set<LoadedHandler>>, key: string, exports: Record<string, unknown>): void {
  const handlers = watches.get(key);
  if (!handlers) return;
  watches.delete(key);
  for (const h of handlers) {
    try {
      h(exports);
    } catch {
      /* a handler logs its own failures; a throw must never reach the application's require */
    }
  }
}

function checkCommonJs(): void {
  // runs after every require while anything is watched: no allocation unless a watched file loaded
  // (deleting the current key while iterating a Map is safe)
  for (const file of cjsWatches.keys()) {
    const exports = loadedCommonJs(file);
    if (exports) settle(cjsWatches, file, exports);
  }
  if (cjsWatches.size === 0) unhookCommonJs();
}

function hookCommonJs(): void {
  if (ourLoad) return;
  const original = Module._load;
  originalLoad = original;
  ourLoad = function payiLoad(this: unknown, ...args: [request: string, parent: unknown, isMain: boolean]): unknown {
    const exports = original.apply(this, args);
    if (cjsWatches.size > 0) checkCommonJs();
    return exports;
  };
  Module._load = ourLoad;
}

function unhookCommonJs(): void {
  // Someone wrapped `_load` after us: ours stays in their chain, and passes through (no watches).
  if (ourLoad && Module._load === ourLoad && originalLoad) Module._load = originalLoad;
  if (Module._load !== ourLoad) {
    ourLoad = undefined;
    originalLoad = undefined;
  }
}

/**
 * Calls `onLoaded` with a CommonJS file's exports once the application loads it (through Node's
 * `Module._load`, checked after each load returns, so the module has finished evaluating); at once
 * when it is already loaded. Loads nothing itself. Returns how to stop watching.
 *
 * @example
 * ```ts
 * const stop = watchCommonJs(require.resolve('openai'), (exports) => patch(exports));
 * ```
 */
export function watchCommonJs(file: string, onLoaded: LoadedHandler): StopWatch {
  const now = loadedCommonJs(file);
  if (now) {
    onLoaded(now);
    return () => undefined;
  }
  const stop = addWatch(cjsWatches, file, onLoaded, () => {
    if (cjsWatches.size === 0) unhookCommonJs();
  });
  hookCommonJs();
  return stop;
}

/** Adds `onLoaded` to the watches of `key`; the stop removes it, then calls `afterStop`. */
function addWatch(watches: Map<string, Set<LoadedHandler>>, key: string, onLoaded: LoadedHandler, afterStop: () => void): StopWatch {
  let handlers = watches.get(key);
  if (!handlers) watches.set(key, (handlers = new Set()));
  const mine = handlers;
  mine.add(onLoaded);
  return () => {
    mine.delete(onLoaded);
    if (mine.size === 0 && watches.get(key) === mine) watches.delete(key);
    afterStop();
  };
}

function hookEsm(): void {
  if (esmHooks || !registerHooks) return;
  (globalThis as Record<symbol, unknown>)[ESM_LOADED] = (url: string, namespace: Record<string, unknown>): void => {
    settle(esmWatches, url, namespace);
    unhookEsm();
  };
  esmHooks = registerHooks({
    load(url, context, next) {
      const result = next(url, context);
      if (!esmWatches.has(url) || result.format !== 'module' || result.source === undefined || result.source === null) return result;
      // The module imports its own namespace (a self-cycle is legal) and hands it over once its
      // body has run; nothing else about it changes.
      const key = JSON.stringify(url);
      const tail = `\n;import * as __payiSelf from ${key};\nglobalThis[Symbol.for('payi-instrument.esm-loaded')]?.(${key}, __payiSelf);\n`;
      return { ...result, source: `${String(result.source)}${tail}` };
    },
  });
}

function unhookEsm(): void {
  if (esmWatches.size > 0 || !esmHooks) return;
  esmHooks.deregister();
  esmHooks = undefined;
  delete (globalThis as Record<symbol, unknown>)[ESM_LOADED];
}

/**
 * Calls `onLoaded` with an ES module's namespace once the application imports it (or `require`s
 * it), through `module.registerHooks`; returns `undefined` when this Node has no such hooks.
 * Loads nothing itself: a module already loaded before the watch started is not seen.
 *
 * @example
 * ```ts
 * const stop = watchEsm('/app/node_modules/openai/index.mjs', (ns) => patch(ns));
 * ```
 */
export function watchEsm(file: string, onLoaded: LoadedHandler): StopWatch | undefined {
  if (!registerHooks) return undefined;
  const stop = addWatch(esmWatches, pathToFileURL(file).href, onLoaded, unhookEsm);
  hookEsm();
  return stop;
}
