/**
 * Facts about the running Node.js that change what is cheap on the call path, judged once.
 */

/**
 * True when `AsyncLocalStorage` runs on `AsyncContextFrame` (Node >= 24 by default; not with
 * `--no-async-context-frame`), so it installs no promise hooks and an extra `then()` per stream
 * chunk costs about 0.06 µs. Before Node 24 the SDK's own `AsyncLocalStorage` turns promise hooks
 * on, and every extra promise costs a hook call or more (measured: an extra `then()` per chunk made
 * streams dearer on Node 20 than serialising their chunks again; docs/performance.md, fifth pass).
 *
 * @example
 * ```ts
 * const tap = promisesAreCheap() ? tapSseBody(response) : undefined;
 * ```
 */
export function promisesAreCheap(): boolean {
  return cheap;
}

function judge(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  if (!(major >= 24)) return false;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return !flags.includes('--no-async-context-frame');
}

const cheap = judge();
