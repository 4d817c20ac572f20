import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { PayiEvent } from '../../../src/events/types';
import { openaiRoute, openaiStandinUsage } from '../../../samples/standin/openai';
import { startStandin, type Standin } from '../../../samples/standin/server';

// Each fixture app runs as its own Node process against the stand-in, sending its events to a
// capturing ingest endpoint. They load payi-instrument from source through ts-node (transpile
// only), so the test needs no build and is not affected by type errors elsewhere.
const root = path.resolve(__dirname, '../../..');

let standin: Standin;
let ingest: http.Server;
let received: { headers: http.IncomingHttpHeaders; events: PayiEvent[] }[];
let ingestUrl: string;

beforeEach(async () => {
  standin = await startStandin([openaiRoute]);
  received = [];
  ingest = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      // POST /api/v1/ingest/bulk as the spec has it: a bare array in, a BulkIngestResponse out.
      const items = JSON.parse(body) as PayiEvent[];
      received.push({ headers: req.headers, events: items });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ request_id: 'bulk_1', ingest_timestamp: new Date().toISOString(), ingest_count: items.length }));
    });
  });
  await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
  ingestUrl = `http://127.0.0.1:${(ingest.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await standin.close();
  ingest.closeAllConnections();
  await new Promise<void>((resolve) => ingest.close(() => resolve()));
});

function runApp(file: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', file],
      { cwd: path.dirname(file), env: { ...process.env, STANDIN_URL: standin.url, PAYI_BASE_URL: ingestUrl, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), PAYI_LOG_LEVEL: 'error' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${file} failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>);
        } catch {
          reject(new Error(`${file} printed no result:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

test.each([
  ['a CommonJS app (require)', 'cjs-app/app.cjs', 'hello from commonjs'],
  ['a native ESM app (import)', 'esm-app/app.mjs', 'hello from esm'],
])('%s is instrumented: both calls are ingested, the app sees normal results', async (_name, file, prompt) => {
  const result = await runApp(path.join(root, 'test/fixtures', file));
  const u = openaiStandinUsage({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
  expect(result).toMatchObject({ reply: u.reply, streamed: u.reply });
  const events = received.flatMap((r) => r.events);
  expect(received.every((r) => r.headers['xproxy-api-key'] === 'fixture-key')).toBe(true);
  expect(events).toEqual([
    expect.objectContaining({ category: 'system.openai', resource: 'gpt-4o-mini', use_case_name: 'app', units: { text: { input: u.prompt, output: u.completion } }, http_status_code: 200 }),
    expect.objectContaining({ units: { text: { input: u.prompt, output: u.completion } }, properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' } }),
  ]);
  if (file.endsWith('.mjs')) expect(result.openaiEntry).toMatch(/openai\/index\.mjs$/); // the ESM build, not the CommonJS one
  expect(standin.requests.every((r) => !Object.keys(r.headers).some((k) => k.startsWith('xproxy-')))).toBe(true);
});

test('an SDK loaded after payiInstrument() is patched when the app loads it, and payiInstrument() loads no provider SDK itself', async () => {
  const result = await runApp(path.join(root, 'test/fixtures/late-app/app.cjs'));
  const u = openaiStandinUsage({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello from a late require' }] });
  // the CommonJS and the ESM build are two copies of the SDK: each call is recorded once
  expect(result).toMatchObject({ cjs: u.reply, esm: u.reply, sameClass: false });
  const events = received.flatMap((r) => r.events);
  expect(events).toHaveLength(2);
  for (const e of events) expect(e).toMatchObject({ category: 'system.openai', resource: 'gpt-4o-mini', units: { text: { input: u.prompt, output: u.completion } } });
  // CommonJS copies (of every provider, nested framework copies included) are left for the app to
  // load; where Node has no module.registerHooks (Node 20) ESM builds (and what they import) are
  // still loaded up front, but no CommonJS entry.
  const loaded = result.loadedByInstrument as string[];
  expect(loaded.filter((f) => /\/(index|client)\.js$/.test(f))).toEqual([]);
  if (typeof (require('node:module') as { registerHooks?: unknown }).registerHooks === 'function') expect(loaded).toEqual([]);
});
