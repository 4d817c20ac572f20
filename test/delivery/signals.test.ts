import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLines, tempDir } from './helpers';
import { IngestSink, startSink } from '../support/ingest-sink';

// 20 child processes per case on a shared 2-core machine: the fixture is compiled once, not per child.
jest.setTimeout(240_000);

const ROOT = path.join(__dirname, '..', '..');
const RUNS = 20;
const EVENTS = 300;
const PARALLEL = 4;
let fixture: string;

beforeAll(() => {
  const out = tempDir();
  const config = path.join(out, 'tsconfig.json');
  fs.writeFileSync(config, JSON.stringify({
    extends: path.join(ROOT, 'tsconfig.json'),
    compilerOptions: { outDir: path.join(out, 'js'), rootDir: ROOT, noCheck: true, declaration: false, sourceMap: false, types: [] },
    include: [],
    files: [path.join(__dirname, 'fixtures', 'signal-child.ts')],
  }));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], { cwd: ROOT, stdio: 'ignore' });
  fixture = path.join(out, 'js', 'test', 'delivery', 'fixtures', 'signal-child.js');
});

interface Run {
  exit: { code: number | null; signal: NodeJS.Signals | null };
  ids: string[];
  spill: string;
  stderr: string;
}

function runChild(url: string, mode: string, run: string, signal: NodeJS.Signals): Promise<Run> {
  const spill = path.join(tempDir(), 'spill.jsonl');
  const env = { ...process.env };
  delete env.PAYI_API_KEY;
  delete env.PAYI_BASE_URL;
  env.NODE_PATH = path.join(ROOT, 'node_modules'); // the compiled fixture lives in a temp folder
  const child = spawn(process.execPath, [fixture, url, mode, spill, run, String(EVENTS)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => {
    if (c.toString().includes('ready')) child.kill(signal);
  });
  return new Promise((resolve) => {
    child.on('exit', (code, sig) => resolve({ exit: { code, signal: sig }, ids: Array.from({ length: EVENTS }, (_, i) => `${run}-${i}`), spill, stderr }));
  });
}

/** Runs `RUNS` children (PARALLEL at once), half SIGTERM and half SIGINT. */
async function runMany(url: string, mode: string, tag: string): Promise<(Run & { signalSent: NodeJS.Signals })[]> {
  const runs: (Run & { signalSent: NodeJS.Signals })[] = [];
  for (let i = 0; i < RUNS; i += PARALLEL) {
    const wave = Array.from({ length: Math.min(PARALLEL, RUNS - i) }, (_, k) => {
      const signal: NodeJS.Signals = (i + k) % 2 === 0 ? 'SIGTERM' : 'SIGINT';
      return runChild(url, mode, `${tag}${i + k}`, signal).then((r) => ({ ...r, signalSent: signal }));
    });
    runs.push(...(await Promise.all(wave)));
  }
  return runs;
}

/**
 * The events of the run the service stored (each at most once) plus those in the spill file, as a
 * sorted set: equal to the run's ids when none was lost. An event can be in both when a shutdown
 * time-out cut a request whose answer was still on its way; replay (bulk-upsert) does not count it twice.
 */
function accountedFor(sink: IngestSink, run: Run): string[] {
  const prefix = `${run.ids[0]!.split('-')[0]}-`;
  const stored = sink.storedIds.filter((id) => id.startsWith(prefix));
  expect(new Set(stored).size).toBe(stored.length);
  return [...new Set([...stored, ...readLines(run.spill).map((e) => e.provider_response_id as string)])].sort();
}

describe('signals: 20 runs per case, 0 events lost', () => {
  let sink: IngestSink;
  beforeEach(async () => {
    sink = await startSink();
  });
  afterEach(async () => {
    await sink.stop();
  });

  test('default options, no application handler: the events are delivered (or spilled), then the process ends by the signal', async () => {
    const runs = await runMany(sink.url, 'default', 'd');
    for (const r of runs) {
      expect({ exit: r.exit, stderr: r.stderr }).toEqual({ exit: { code: null, signal: r.signalSent }, stderr: '' });
      expect(accountedFor(sink, r)).toEqual([...r.ids].sort());
    }
    // the service was up: the bounded flush delivered them (a loaded machine may spill a few runs)
    expect(runs.filter((r) => readLines(r.spill).length === 0).length).toBeGreaterThan(RUNS / 2);
  });

  test('default options, the service down: what the bounded flush could not send is spilled, then the process ends by the signal', async () => {
    await sink.down();
    const runs = await runMany(sink.url, 'default', 'x');
    for (const r of runs) {
      expect(r.exit).toEqual({ code: null, signal: r.signalSent });
      expect(readLines(r.spill).map((e) => e.provider_response_id).sort()).toEqual([...r.ids].sort());
    }
  });

  test('an application handler that exits at once keeps its exit code; what is left is spilled at exit', async () => {
    const runs = await runMany(sink.url, 'app-exit', 'a');
    for (const r of runs) {
      expect(r.exit).toEqual({ code: 7, signal: null });
      expect(accountedFor(sink, r)).toEqual([...r.ids].sort());
    }
  });

  test('an application handler that closes its server gracefully: the process ends normally once the events are delivered', async () => {
    const runs = await runMany(sink.url, 'app-graceful', 'g');
    for (const r of runs) {
      expect(r.exit).toEqual({ code: 0, signal: null });
      expect(accountedFor(sink, r)).toEqual([...r.ids].sort());
    }
  });

  test("NestJS enableShutdownHooks' pattern (close, remove its listener, raise again): the process ends by the signal, events delivered", async () => {
    const runs = await runMany(sink.url, 'nest', 'n');
    for (const r of runs) {
      expect(r.exit).toEqual({ code: null, signal: r.signalSent });
      expect(accountedFor(sink, r)).toEqual([...r.ids].sort());
    }
  });
});
