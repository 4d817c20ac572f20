import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { readLines, tempDir } from './helpers';
import { IngestSink, startSink } from '../support/ingest-sink';

// Each child compiles the SDK with ts-node on a shared 2-core machine: allow it time to start.
jest.setTimeout(60_000);

const FIXTURE = path.join(__dirname, 'fixtures', 'submit-and-end.ts');
const ROOT = path.join(__dirname, '..', '..');

function runChild(args: string[]): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; ready: Promise<void> } {
  const env = { ...process.env };
  delete env.PAYI_API_KEY;
  delete env.PAYI_BASE_URL;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', FIXTURE, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const ready = new Promise<void>((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) resolve();
    });
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      if (stderr.trim()) process.stderr.write(`child stderr:\n${stderr}\n`);
      resolve({ code, signal });
    });
  });
  return { child, exited, ready };
}

describe('delivery at process exit', () => {
  let sink: IngestSink;
  beforeEach(async () => {
    sink = await startSink();
  });
  afterEach(async () => {
    await sink.stop();
  });

  test('a script that ends without calling flush() still delivers its events (beforeExit)', async () => {
    const spill = path.join(tempDir(), 'spill.jsonl');
    const { exited } = runChild([sink.url, 'end', spill, '7']);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(sink.storedIds).toEqual(Array.from({ length: 7 }, (_, i) => `child-${i}`));
    expect(readLines(spill)).toEqual([]);
  });

  test('a script that ends while the service is down spills its events after shutdownTimeoutMs', async () => {
    await sink.down();
    const spill = path.join(tempDir(), 'spill.jsonl');
    const { exited } = runChild([sink.url, 'end', spill, '3', '500']);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(readLines(spill).map((e) => e.provider_response_id)).toEqual(['child-0', 'child-1', 'child-2']);
  });

  test('events still deferred off the call path when the script calls process.exit() are made and spilled, not lost', async () => {
    const spill = path.join(tempDir(), 'spill.jsonl');
    const { exited } = runChild([sink.url, 'defer-exit', spill, '3']);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(readLines(spill).map((e) => e.provider_response_id)).toEqual(['child-0', 'child-1', 'child-2']);
  });

  test('with handleSignals, SIGTERM delivers the queued events, then the process ends by the signal', async () => {
    const spill = path.join(tempDir(), 'spill.jsonl');
    const { child, exited, ready } = runChild([sink.url, 'signal', spill, '4']);
    await ready;
    expect(sink.storedIds).toEqual([]);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(sink.storedIds).toEqual(['child-0', 'child-1', 'child-2', 'child-3']);
  });

  test('with handleSignals and an application SIGTERM listener, the application decides how to exit and no event is lost', async () => {
    const spill = path.join(tempDir(), 'spill.jsonl');
    const { child, exited, ready } = runChild([sink.url, 'signal-app', spill, '4']);
    await ready;
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 7, signal: null });
    const delivered = [...sink.storedIds, ...readLines(spill).map((e) => e.provider_response_id as string)];
    expect(delivered.sort()).toEqual(['child-0', 'child-1', 'child-2', 'child-3']);
  });
});
