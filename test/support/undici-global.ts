import * as vm from 'node:vm';

/**
 * `@google/genai` sends through Node's global undici dispatcher (`globalThis[Symbol.for(
 * 'undici.globalDispatcher.1')]`), which Node sets on its own global object; jest runs tests in a
 * separate global, where it is missing ("Undici globalDispatcher is not available"). Importing this
 * module copies it over. Plain Node applications do not need this.
 */
const DISPATCHER = Symbol.for('undici.globalDispatcher.1');
const nodeGlobal = vm.runInThisContext('globalThis') as Record<symbol, unknown>;
if ((globalThis as Record<symbol, unknown>)[DISPATCHER] === undefined) {
  new Headers(); // Node initialises undici lazily
  (globalThis as Record<symbol, unknown>)[DISPATCHER] = nodeGlobal[DISPATCHER];
}
