/**
 * A diagnostic of the in-process benchmark: where the instrumented call's added time goes, step by
 * step, measured inside the running calls (not in a microbenchmark, where the same step runs hot in
 * the caches and costs a half to a third as much).
 *
 * Preloaded into one worker run, it wraps the exported functions of the SDK's steps (building the
 * event, sizing it, the bulk body, merging the scope, ...) with a high-resolution clock and, when the
 * process exits, prints each step's time per provider call (nested steps are inside their caller's
 * time; a step called once per batch is spread over the batch's calls). The clock costs about 0.1
 * µs per step called. Only calls that go through a module's exports (or a class's prototype) are
 * seen: a function called from inside its own module is counted in its caller. An `async` step's
 * time is its synchronous part (up to its first `await`).
 *
 * @example
 * ```sh
 * node -r ./dist/bench/inprocess/steps.js --expose-gc dist/bench/inprocess/worker.js instrumented openai json 1 20000 1000
 * ```
 */
import * as path from 'node:path';

/** The steps timed: module (under the SDK's `dist/`) and exported function names, or `Class.method` for a prototype method. */
const STEPS: Record<string, readonly string[]> = {
  'src/context/scope': ['trackContext'],
  'src/context/validate': ['assertScopeOptions'],
  'src/recording/recorder': ['CallRecorder.finish'],
  'src/delivery/pipeline': ['SinkPipeline.submit', 'SinkPipeline.measure', 'SinkPipeline.cutPending'],
  'src/delivery/sinks/payi-bulk': ['PayiBulkSink.measure', 'PayiBulkSink.send'],
  'src/context/merge': ['mergeFrame'],
  'src/headers/attribution': ['resolveAttribution'],
  'providers/shared/stainless': ['observeApiPromise', 'rewriteCallHeaders', 'payiHeaderNames'],
  'providers/openai/outcome': ['successOutcome'],
  'providers/anthropic/outcome': ['messageOutcome'],
  'src/usage/source': ['settleUsage'],
  'src/events/build': ['buildEvent', 'responseHeaderPairs'],
  'src/delivery/oversize': ['eventBytes'],
  'src/wire/ingest': ['bulkItemBytes', 'bulkBody'],
};

interface Tally {
  ns: bigint;
  calls: number;
}

const root = process.env.BENCH_SDK_ROOT ? path.join(path.resolve(process.env.BENCH_SDK_ROOT), 'dist') : path.join(__dirname, '..', '..');
const tallies = new Map<string, Tally>();

for (const [file, names] of Object.entries(STEPS)) {
  let mod: Record<string, unknown>;
  try {
    mod = require(path.join(root, file)) as Record<string, unknown>;
  } catch {
    continue; // a provider not built in this checkout
  }
  for (const name of names) {
    // `Class.method`: the method on the class's prototype
    const [owner, key] = name.includes('.') ? [(mod[name.split('.')[0]!] as { prototype?: Record<string, unknown> } | undefined)?.prototype, name.split('.')[1]!] : [mod, name];
    const original = owner?.[key];
    if (!owner || typeof original !== 'function') continue;
    const tally: Tally = { ns: 0n, calls: 0 };
    tallies.set(`${file.split('/').slice(-2).join('/')}.${name}`, tally);
    const timed = function (this: unknown, ...args: unknown[]): unknown {
      const t0 = process.hrtime.bigint();
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        tally.ns += process.hrtime.bigint() - t0;
        tally.calls++;
      }
    };
    Object.defineProperty(owner, key, { value: timed, configurable: true, enumerable: owner === mod, writable: true });
  }
}

process.on('exit', () => {
  // provider calls recorded: one event built per call
  const calls = [...tallies.entries()].find(([k]) => k.endsWith('.buildEvent'))?.[1].calls ?? 0;
  if (calls === 0) return;
  process.stderr.write(`steps, µs per provider call (${calls} calls, warm-up included):\n`);
  for (const [step, t] of tallies) {
    if (t.calls === 0) continue;
    process.stderr.write(`  ${step.padEnd(40)} ${(Number(t.ns) / 1000 / calls).toFixed(2).padStart(7)}  (${t.calls} times)\n`);
  }
});
