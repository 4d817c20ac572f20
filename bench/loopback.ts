/**
 * The in-process benchmark's harness (bench/inprocess.ts: every variant in its own long-lived
 * process, slices interleaved, medians of each round's differences, the peers beside us) with the
 * provider APIs over real HTTP: the stand-in (bench/standin-process.ts) in a process of its own on
 * 127.0.0.1, the SDKs' own `fetch`. What a user's call pays with sockets, HTTP parsing and the
 * event loop's turns between calls; the stand-in's CPU is in its own process, not counted.
 *
 * Run: `npm run bench -- loopback` (built); the same `BENCH_*` settings as `inprocess`.
 */
process.env.BENCH_TRANSPORT = 'loopback';
require('./inprocess');
