/**
 * Overhead of the instrumentation, OpenAI beside Gemini: raw vs instrumented
 * `chat.completions.create` and `models.generateContent[Stream]` against the local stand-in on
 * 127.0.0.1, sequential and 64 concurrent, streaming and not. Prints p50/p99 of
 * both, their ratio, and the added CPU per call (`process.cpuUsage` of this process; the stand-in
 * runs in a child process, so this is the client's and the instrumentation's CPU). Events go to an
 * in-memory ingest client (building and queueing them included, no network). Never fails on a number.
 *
 * Run: `npm run bench -- overhead` (built), or `npx ts-node --transpile-only bench/overhead.ts [calls] [openai|gemini]`.
 */
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { payiInstrument, shutdown, flush } from '../src/instrument';
import type { IngestClient } from '../src/options/types';

const CALLS = Number(process.argv[2] ?? 2000);
/** Raw and instrumented runs alternate this many times, so that drift hits both alike. */
const ROUNDS = 8;

/** Starts bench/standin-process in a child process; resolves to its URL. */
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
const silent = { error() {}, warn() {}, info() {}, debug() {} };
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

interface Run {
  latencies: number[];
  cpuMicros: number;
}

const PROMPT = 'Measure the overhead of this call please';

/** One provider's call, streamed (every chunk read) or not. */
type Call = (stream: boolean) => Promise<void>;

function openaiCall(client: OpenAI): Call {
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: PROMPT }] };
  return async (stream) => {
    if (!stream) {
      await client.chat.completions.create(body);
      return;
    }
    for await (const _ of await client.chat.completions.create({ ...body, stream: true })) {
      /* read every chunk */
    }
  };
}

function geminiCall(ai: GoogleGenAI): Call {
  const params = { model: 'gemini-2.5-flash', contents: PROMPT };
  return async (stream) => {
    if (!stream) {
      await ai.models.generateContent(params);
      return;
    }
    for await (const _ of await ai.models.generateContentStream(params)) {
      /* read every chunk */
    }
  };
}

async function one(call: Call, stream: boolean): Promise<number> {
  const t0 = performance.now();
  await call(stream);
  return performance.now() - t0;
}

async function run(client: Call, calls: number, concurrency: number, stream: boolean): Promise<Run> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) {
      next++;
      latencies.push(await one(client, stream));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { latencies, cpuMicros: cpu.user + cpu.system };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function scenario(client: Call, name: string, concurrency: number, stream: boolean): Promise<void> {
  const half = Math.max(1, Math.floor(CALLS / ROUNDS));
  const raw: Run = { latencies: [], cpuMicros: 0 };
  const inst: Run = { latencies: [], cpuMicros: 0 };
  /** Added CPU per call of each round (instrumented minus raw): the median is robust to a noisy round. */
  const added: number[] = [];
  // warm both paths, then alternate raw and instrumented halves so drift hits both alike
  await run(client, 100, concurrency, stream);
  payiInstrument({ payi: sink, logger: silent, useCaseName: 'bench' });
  await run(client, 100, concurrency, stream);
  await shutdown();
  for (let round = 0; round < ROUNDS; round++) {
    const r = await run(client, half, concurrency, stream);
    raw.latencies.push(...r.latencies);
    raw.cpuMicros += r.cpuMicros;
    payiInstrument({ payi: sink, logger: silent, useCaseName: 'bench' });
    const i = await run(client, half, concurrency, stream);
    await flush();
    await shutdown();
    inst.latencies.push(...i.latencies);
    inst.cpuMicros += i.cpuMicros;
    added.push((i.cpuMicros - r.cpuMicros) / half);
  }
  const n = raw.latencies.length;
  const f = (x: number): string => x.toFixed(3).padStart(8);
  const [r50, r99, i50, i99] = [pct(raw.latencies, 50), pct(raw.latencies, 99), pct(inst.latencies, 50), pct(inst.latencies, 99)];
  const addedCpu = pct(added, 50);
  const rawCpu = raw.cpuMicros / n;
  console.log(
    `${name.padEnd(28)} calls ${String(n).padStart(5)}  raw p50 ${f(r50)} ms p99 ${f(r99)} ms | instrumented p50 ${f(i50)} ms p99 ${f(i99)} ms | ratio p50 ${(i50 / r50).toFixed(3)} p99 ${(i99 / r99).toFixed(3)} | CPU raw ${rawCpu.toFixed(0)} µs/call, added ${addedCpu.toFixed(1)} µs/call (median of ${added.length} rounds)`,
  );
}

async function main(): Promise<void> {
  const standin = await startStandinProcess();
  const providers: [string, Call][] = [
    ['OpenAI', openaiCall(new OpenAI({ apiKey: 'bench', baseURL: `${standin.url}/v1`, maxRetries: 0 }))],
    ['Gemini', geminiCall(new GoogleGenAI({ apiKey: 'bench', httpOptions: { baseUrl: standin.url } }))],
  ];
  const only = process.argv[3];
  console.log(`Instrumentation overhead (Node ${process.version}); targets: p50 ratio <= 1.05, added CPU < 30 µs/call`);
  try {
    for (const [provider, client] of providers) {
      if (only && provider.toLowerCase() !== only.toLowerCase()) continue;
      await scenario(client, `${provider} sequential, JSON`, 1, false);
      await scenario(client, `${provider} sequential, stream`, 1, true);
      await scenario(client, `${provider} 64 concurrent, JSON`, 64, false);
      await scenario(client, `${provider} 64 concurrent, stream`, 64, true);
    }
    console.log(`events ingested: ${ingested}`);
  } finally {
    standin.child.stdin!.end();
  }
}

void main();
