/**
 * Context benchmark: what a scope costs. Prints ns per operation (median of several rounds, after
 * a warm-up) for trackContext entry, a call through track() against the same call untracked, and
 * getContext(), with the added time and the ratio. Never fails on a number.
 *
 * Run: `npm run build && node dist/bench/context.js`, or `npx ts-node bench/context.ts`.
 */
import { getContext, track, trackContext } from '../src/context/scope';
import { mergeFrame } from '../src/context/merge';
import { setGlobalFrame } from '../src/context/store';
import { setLogger } from '../src/internal/logger';

const ROUNDS = 7;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200_000);
let sink = 0;

/** Median ns per call of `fn` over ROUNDS rounds of ITERATIONS calls, after a warm-up round. */
function measure(fn: (i: number) => number): number {
  for (let i = 0; i < ITERATIONS; i++) sink += fn(i);
  const perOp: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) sink += fn(i);
    perOp.push(Number(process.hrtime.bigint() - t0) / ITERATIONS);
  }
  perOp.sort((a, b) => a - b);
  return perOp[Math.floor(perOp.length / 2)]!;
}

/** Median ns per awaited call of an async `fn` (sequential awaits, so the promise machinery is included). */
async function measureAsync(fn: (i: number) => Promise<number>, iterations = Math.floor(ITERATIONS / 4)): Promise<number> {
  for (let i = 0; i < iterations; i++) sink += await fn(i);
  const perOp: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink += await fn(i);
    perOp.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  perOp.sort((a, b) => a - b);
  return perOp[Math.floor(perOp.length / 2)]!;
}

const fmt = (ns: number): string => `${ns.toFixed(1).padStart(9)} ns`;

function row(name: string, ns: number, baseline?: number): void {
  const extra = baseline === undefined ? '' : `   added ${fmt(ns - baseline)}   ratio ${(ns / baseline).toFixed(2)}x`;
  console.log(`${name.padEnd(58)} ${fmt(ns)}${extra}`);
}

async function main(): Promise<void> {
  setLogger({ error() {}, warn() {}, info() {}, debug() {} });
  // as after payiInstrument(): a global frame the scopes merge with
  setGlobalFrame(mergeFrame({}, { useCaseName: 'bench', limitIds: ['G'], userId: 'global', proxy: false }));
  console.log(`node ${process.version}, ${ROUNDS} rounds x ${ITERATIONS} iterations, median ns per operation\n`);

  const work = (i: number): number => (i * 31) & 1023;
  const untracked = measure(work);
  row('untracked call', untracked);

  const trackedUser = track({ userId: 'u1' }, work);
  row('track({ userId }) call', measure(trackedUser), untracked);

  const trackedFull = track({ userId: 'u1', limitIds: ['daily'], requestTags: ['web'], requestProperties: { env: 'prod' } }, work);
  row('track({ userId, limitIds, requestTags, requestProperties })', measure(trackedFull), untracked);

  const trackedNewUseCase = track({ useCaseName: 'chatbot' }, work);
  row('track({ useCaseName }) call (new UUID v4 per call)', measure(trackedNewUseCase), untracked);

  const trackedFn = track({ userId: ({ args }) => `u${String(args[0] as number & 7)}` }, work);
  row('track({ userId: (call) => ... }) call', measure(trackedFn), untracked);

  const trackedEmpty = track({}, work);
  row('track({}) call', measure(trackedEmpty), untracked);

  const bare = (): number => 1;
  const direct = measure(bare);
  row('\nfn() directly', direct);
  row('trackContext({ userId }, fn) entry', measure(() => trackContext({ userId: 'u1' }, bare)), direct);
  row('trackContext({ useCaseName, userId }, fn) entry', measure(() => trackContext({ useCaseName: 'chat', userId: 'u1' }, bare)), direct);

  console.log('');
  row('getContext() outside scopes (global frame)', measure(() => (getContext().userId ? 1 : 0)));
  trackContext({ userId: 'inner', limitIds: ['a'] }, () => {
    row('getContext() inside a scope', measure(() => (getContext().userId ? 1 : 0)));
  });

  console.log('');
  const asyncWork = async (i: number): Promise<number> => work(i);
  const asyncUntracked = await measureAsync(asyncWork);
  row('await untracked async call', asyncUntracked);
  row('await track({ userId }) async call', await measureAsync(track({ userId: 'u1' }, asyncWork)), asyncUntracked);

  setGlobalFrame(undefined);
  console.log(`\n(sink ${sink & 1}) target: under 1000 ns added per tracked call`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
