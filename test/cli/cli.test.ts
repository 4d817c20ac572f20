import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { call, event, startTestCollector } from '../collector/support';
import { BIN, payi, ROOT } from './support';

describe('payi --help', () => {
  test.each([[[]], [['collector']], [['report']], [['replay']], [['demo']]])('payi %j --help prints usage and exits 0', async (cmd) => {
    const r = await payi([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: payi ${cmd.length ? cmd[0] + ' ' : ''}`);
  });

  test('collector --help lists its flags and defaults', async () => {
    const r = await payi(['collector', '--help']);
    for (const flag of ['--port <port>', '--host <host>', '--db <file>', '--api-key <key>', '"7480"', '"127.0.0.1"', '"./.payi/payi.db"']) expect(r.stdout).toContain(flag);
  });
});

describe('bad flags', () => {
  test.each([
    [['collector', '--port', 'abc'], 'payi collector: --port "abc" is not a port number (1-65535)'],
    [['collector', '--port', '70000'], 'payi collector: --port "70000" is not a port number (1-65535)'],
    [['report', '--by', 'team'], 'payi report: --by "team" is not one of use_case, user, limit, account, resource, request_tag'],
    [['report', '--url', 'localhost:7480'], 'payi report: --url "localhost:7480" is not an http(s) URL'],
    [['replay', 'f.jsonl', '--batch-size', '0'], 'payi replay: --batch-size "0" is not a whole number from 1 to 1000'],
    [['collector', '--colour'], "payi collector: unknown option '--colour'"],
    [['replay'], "payi replay: missing required argument 'file'"],
    [['reprot'], "payi: unknown command 'reprot'"],
  ])('payi %j → exit 2 with a clear message', async (args, message) => {
    const r = await payi(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });
});

describe('payi report', () => {
  let c: Awaited<ReturnType<typeof startTestCollector>>;
  beforeEach(async () => {
    c = await startTestCollector({ apiKey: 'cli-key' });
    await call(
      c.url,
      'POST',
      '/api/v1/ingest/bulk',
      {
        events: [
          event({ resource: 'gpt-4o', use_case_name: 'chat', user_id: 'ann', units: { text: { input: 400_000, output: 1000 } } }),
          event({ use_case_name: 'search', user_id: 'ann' }),
          event({ use_case_name: 'search', user_id: 'ben' }),
        ],
      },
      { 'xProxy-api-key': 'cli-key' },
    );
  });
  afterEach(async () => {
    await c.close();
  });

  test('--json prints what the collector reports, most expensive first', async () => {
    const r = await payi(['report', '--by', 'use_case', '--json', '--url', c.url, '--api-key', 'cli-key']);
    expect(r.code).toBe(0);
    const api = await call(c.url, 'GET', '/api/v1/reports/cost?by=use_case', undefined, { 'xProxy-api-key': 'cli-key' });
    expect(JSON.parse(r.stdout)).toEqual(api.body);
    expect(JSON.parse(r.stdout).map((x: { key: string }) => x.key)).toEqual(['chat', 'search']);
  });

  test('prints a table with a total line; the URL and key come from PAYI_BASE_URL and PAYI_API_KEY', async () => {
    const r = await payi(['report', '--by', 'user'], { PAYI_BASE_URL: c.url, PAYI_API_KEY: 'cli-key' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^user\s+requests\s+input tokens\s+output tokens\s+cost \(USD\)$/);
    expect(lines[2]).toMatch(/^ann\s+2\s+401,000\s+1,200\s+1\.0103$/);
    expect(lines[3]).toMatch(/^ben\s+1\s+1,000\s+200\s+0\.000270$/);
    expect(lines[5]).toMatch(/^total\s+3\s+402,000\s+1,400\s+1\.0105$/);
  });

  test('a wrong key or an unreachable collector exits 1 saying why', async () => {
    const denied = await payi(['report', '--url', c.url, '--api-key', 'nope']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("answered 401: the xProxy-api-key header does not match this collector's key");
    const down = await payi(['report', '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('payi report: cannot reach the collector at http://127.0.0.1:9');
  });
});

describe('payi replay', () => {
  test('sends a spill file to the collector and keeps only the refused lines', async () => {
    const c = await startTestCollector();
    try {
      const file = path.join(c.dir, 'undelivered.jsonl');
      const lines = [event({ provider_response_id: 'spilled-1' }), event({ units: 'broken' }), event({ provider_response_id: 'spilled-2' })].map((e) => JSON.stringify(e));
      fs.writeFileSync(file, lines.join('\n') + '\n');
      const r = await payi(['replay', file, '--url', c.url]);
      expect(r.stdout).toContain('3 events, 2 sent, 1 rejected');
      expect(r.code).toBe(1);
      expect(c.db.prepare('SELECT provider_response_id AS id FROM events ORDER BY id').all()).toEqual([{ id: 'spilled-1' }, { id: 'spilled-2' }]);
      expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toEqual([lines[1]]);
    } finally {
      await c.close();
    }
  });
});

describe('payi collector', () => {
  test('serves until SIGTERM, then closes the database and exits 0', async () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'payi-cli-'));
    const db = path.join(dir, 'nested', 'payi.db');
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', BIN, 'collector', '--port', '0', '--db', db], {
      cwd: ROOT,
      env: { ...process.env, PAYI_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const r = await call(url, 'POST', '/api/v1/ingest', event({ use_case_name: 'cli' }));
      expect(r.status).toBe(200);
      expect(fs.existsSync(db)).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
