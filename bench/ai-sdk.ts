/**
 * Added CPU per AI SDK `generateText` call (standalone: `node dist/bench/ai-sdk.js`, or
 * `node -r ts-node/register/transpile-only bench/ai-sdk.ts`). Prints figures; never fails on them.
 *
 * The same `generateText` calls (`@ai-sdk/openai` chat model, sequential) to the provider stand-in
 * in a child process, in alternating rounds with the payi telemetry integration off for the call
 * (`telemetry: { isEnabled: false }`, the raw AI SDK) and on (every call recorded and delivered to
 * a no-op ingest client). The figure is the median over the rounds of the difference in this
 * process's CPU time (`process.cpuUsage`) per call.
 *
 * Environment: BENCH_CALLS (default 2000, split over the rounds).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { flush, payiInstrument, shutdown } from '../src/instrument';
import type { IngestClient } from '../src/options/types';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const ROUNDS = 8;

function startStandinProcess(): Promise<{ url: string; child: ChildProcess }> {
  const file = path.join(__dirname, `standin-process${path.extname(__filename)}`);
  const execArgv = path.extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [];
  const child = spawn(process.execPath, [...execArgv, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ url: out.slice(0, nl).trim(), child });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`stand-in process exited with ${code}`)));
  });
}

let ingested = 0;
const sink: IngestClient = {
  ingest: {
    units: async () => {
      ingested++;
      return {};
    },
    bulk: async (events) => {
      ingested += events.length;
      return { request_id: 'bench', ingest_timestamp: new Date().toISOString(), ingest_count: events.length };
    },
  },
};
const silent = { error() {}, warn() {}, info() {}, debug() {} };

async function main(): Promise<void> {
  // `ai` and `@ai-sdk/openai` are ESM-only: loaded with require(esm) (Node >= 20.19)
  const { generateText } = require('ai') as typeof import('ai');
  const { createOpenAI } = require('@ai-sdk/openai') as typeof import('@ai-sdk/openai');
  const standin = await startStandinProcess();
  payiInstrument({ payi: sink, logger: silent, useCaseName: 'bench_ai_sdk', ingest: { spillFile: false } });
  const openai = createOpenAI({ apiKey: 'bench', baseURL: `${standin.url}/v1` });
  const model = openai.chat('gpt-4o-mini');
  const prompt = 'Measure the overhead of this call please';
  const per = Math.max(1, Math.floor(CALLS / ROUNDS / 2));
  const round = async (instrumented: boolean): Promise<number> => {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < per; i++) await generateText({ model, prompt, ...(instrumented ? {} : { telemetry: { isEnabled: false } }) });
    if (instrumented) await flush();
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / per;
  };
  await round(false);
  await round(true); // warm-up
  const diffs: number[] = [];
  const raws: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const first = r % 2 === 0;
    const a = await round(!first ? true : false);
    const b = await round(first ? true : false);
    const [raw, inst] = first ? [a, b] : [b, a];
    raws.push(raw);
    diffs.push(inst - raw);
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  console.log(`AI SDK generateText: ${per * ROUNDS} calls each way, ${ROUNDS} alternating rounds`);
  console.log(`  raw AI SDK CPU per call:      ${(median(raws) / 1000).toFixed(3)} ms`);
  console.log(`  added CPU per call (median):  ${(median(diffs) / 1000).toFixed(3)} ms (${((median(diffs) / median(raws)) * 100).toFixed(1)}%)`);
  console.log(`  events delivered: ${ingested}`);
  await shutdown();
  standin.child.stdin!.end();
}

void main();
