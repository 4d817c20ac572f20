/**
 * What a call leaves to the garbage collector: bytes promoted to the old generation per call, the
 * young-generation (scavenge) pause per call, and the major collections, for the raw SDK and the
 * instrumented one (and `BENCH_BEFORE`'s SDK, as in bench/inprocess.ts), the same in-process
 * worker and calls as the in-process benchmark, one process per run, the variants' runs
 * alternating. Read from V8's own `--trace-gc-nvp` lines of the measured calls only (after the
 * warm-up), so unlike CPU time they hardly move with the machine's load: this machine resolves
 * a change of a few hundred bytes per call here where whole-call CPU moves by ±15 %.
 *
 * An event that waits for its batch holding a copy of the prompt and response is copied and
 * promoted by the collector with it; promoted bytes then cost the main thread scavenges and the
 * collector's threads concurrent marking (docs/performance.md, tenth pass).
 *
 * `BENCH_SCENARIOS` (e.g. `openai-json,anthropic-stream`), `BENCH_PROMOTION_CALLS` (default 4000)
 * and `BENCH_PROMOTION_RUNS` (default 2) narrow it.
 *
 * @example
 * ```sh
 * BENCH_BEFORE=/tmp/before node dist/bench/promotion.js
 * ```
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const CALLS = Number(process.env.BENCH_PROMOTION_CALLS ?? 4000);
const RUNS = Number(process.env.BENCH_PROMOTION_RUNS ?? 2);
const WARMUP = 500;
const BEFORE = process.env.BENCH_BEFORE;

/** One run's figures, per measured call. */
interface GcFigures {
  promotedBytes: number;
  scavengeUs: number;
  majors: number;
  rssMB: number;
}

/** The sums over the `--trace-gc-nvp` lines the worker printed between its `# slice` and `# end` marks, per call; `undefined` without them. */
function gcFigures(output: string, calls: number): GcFigures | undefined {
  const lines = output.split('\n');
  const start = lines.indexOf('# slice');
  if (start < 0) return undefined;
  let promoted = 0;
  let pause = 0;
  let majors = 0;
  let rssMB = NaN;
  const field = (line: string, name: string): number => Number(new RegExp(` ${name}=([0-9.]+)`).exec(line)?.[1] ?? 0);
  let inSlice = true;
  for (const line of lines.slice(start + 1)) {
    if (line === '# end') inSlice = false; // then the worker's memory reading (forced collections), then its result
    if (line.startsWith('{"variant"')) {
      rssMB = (JSON.parse(line) as { rssMB: number }).rssMB;
      break;
    }
    if (!inSlice) continue;
    if (line.includes(' gc=s ')) {
      promoted += field(line, 'promoted');
      pause += field(line, 'pause');
    } else if (line.includes(' gc=mc ')) majors++;
  }
  return { promotedBytes: promoted / calls, scavengeUs: (pause * 1000) / calls, majors, rssMB };
}

function runOnce(variant: 'raw' | 'instrumented' | 'before', provider: string, mode: string): GcFigures | undefined {
  const worker = path.join(__dirname, 'inprocess', `worker${path.extname(__filename)}`);
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_MARK_SLICE: '1', PAYI_LOG_LEVEL: 'silent' };
  if (variant === 'before') env.BENCH_SDK_ROOT = path.resolve(BEFORE!);
  else delete env.BENCH_SDK_ROOT;
  const args = ['--trace-gc-nvp', '--expose-gc', ...(path.extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : []), worker];
  const r = spawnSync(process.execPath, [...args, variant === 'before' ? 'instrumented' : variant, provider, mode, '1', String(CALLS), String(WARMUP)], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    console.log(`  ${variant} ${provider} ${mode}: the worker exited with ${r.status ?? r.signal}`);
    return undefined;
  }
  return gcFigures(r.stdout, CALLS);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function main(): void {
  const only = (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean);
  const variants = ['raw', 'instrumented', ...(BEFORE ? (['before'] as const) : [])] as const;
  console.log(
    `Garbage collector per call (Node ${process.version}): ${CALLS} sequential calls after ${WARMUP} warm-up calls, ${RUNS} runs per variant alternating, medians` +
      (BEFORE ? `; before: ${BEFORE}` : ''),
  );
  console.log('| scenario | variant | promoted per call | scavenge pause per call | major GCs in the calls | RSS after |');
  console.log('|---|---|---|---|---|---|');
  for (const provider of ['openai', 'anthropic', 'bedrock']) {
    for (const mode of ['json', 'stream']) {
      if (only.length > 0 && !only.includes(`${provider}-${mode}`)) continue;
      const runs = new Map<string, GcFigures[]>(variants.map((v) => [v, []]));
      for (let i = 0; i < RUNS; i++) {
        for (const v of variants) {
          const f = runOnce(v, provider, mode);
          if (f) runs.get(v)!.push(f);
        }
      }
      for (const v of variants) {
        const list = runs.get(v)!;
        if (list.length === 0) continue;
        const kb = median(list.map((f) => f.promotedBytes)) / 1024;
        console.log(
          `| ${provider} ${mode} | ${v} | ${kb.toFixed(2)} KB | ${median(list.map((f) => f.scavengeUs)).toFixed(1)} µs | ${median(list.map((f) => f.majors))} | ${median(list.map((f) => f.rssMB)).toFixed(0)} MB |`,
        );
      }
    }
  }
}

if (require.main === module) main();
