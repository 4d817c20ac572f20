import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NPM, pack, type Packed, ROOT, run, tempDir } from './pack';

/**
 * Install as a user gets it (issue 10): both packages are packed (their `prepack` builds them),
 * installed from the tarballs into a fresh app (npm takes their dependencies from its cache or the
 * registry; `payi-instrument` is not on the registry, so the collector's dependency on it can only
 * be met by the local tarball), and used only through what they publish: the `payi` bin, `require`,
 * `import` and the types. Slow (a native build of better-sqlite3): `npm run test:install`.
 */
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const ATTW = path.join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
let work: string;
let app: string;
let sdk: Packed;
let collector: Packed;
let install: { ms: number; betterSqlite3: string };

beforeAll(async () => {
  work = tempDir('payi-install-');
  sdk = await pack(ROOT, work);
  collector = await pack(path.join(ROOT, 'collector'), work);
  app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }));
  // No internet here: skip better-sqlite3's prebuilt-binary download (it would wait for a
  // time-out) and build it from source, as npm does wherever no prebuilt binary exists.
  const env = { ...process.env, npm_config_build_from_source: 'true', npm_config_update_notifier: 'false' };
  const r = await run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', sdk.file, collector.file], { cwd: app, env, timeoutMs: 900_000 });
  if (r.code !== 0) throw new Error(`npm install of the tarballs failed:\n${r.stderr}`);
  install = { ms: r.ms, betterSqlite3: readJson(path.join(app, 'node_modules', 'better-sqlite3', 'package.json')).version as string };
  process.stdout.write(`install: ${r.ms} ms, better-sqlite3 ${install.betterSqlite3}; sdk ${sdk.size} B packed / ${sdk.unpackedSize} B, ${sdk.paths.length} files; collector ${collector.size} B / ${collector.unpackedSize} B, ${collector.paths.length} files\n`);
}, 1_200_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('the tarballs hold what users need and nothing else', () => {
  test('payi-instrument: compiled SDK and its types, README, LICENSE, package.json', () => {
    const unexpected = sdk.paths.filter((p) => !/^dist\/(src|decorators|providers)\/.+(\.d\.ts|\.js)$/.test(p) && !['LICENSE', 'README.md', 'package.json'].includes(p));
    expect(unexpected).toEqual([]);
    expect(sdk.paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/internal.js', 'dist/src/internal.d.ts', 'dist/decorators/index.js', 'dist/providers/registry.js']));
  });

  test('@payi-instrument/collector: compiled collector and command, web page, README, LICENSE, package.json; no demo', () => {
    const unexpected = collector.paths.filter(
      (p) => !/^dist\/(collector|cli)\/.+(\.d\.ts|\.js)$/.test(p) && !['web/index.html', 'web/app.js', 'web/app.css', 'LICENSE', 'README.md', 'package.json'].includes(p),
    );
    expect(unexpected).toEqual([]);
    expect(collector.paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/cli/payi.js', 'dist/collector/index.js', 'dist/collector/index.d.ts', 'web/index.html', 'web/app.js', 'web/app.css']));
    // the demo itself stays in the repository: only the hidden command that says so ships
    expect(collector.paths.filter((p) => /\/demo\.|samples|standin|bench|\/test/.test(p))).toEqual([]);
  });

  test('both carry the MIT licence and build in prepack, not prepare', () => {
    for (const dir of ['payi-instrument', '@payi-instrument/collector']) {
      const pkg = readJson(path.join(app, 'node_modules', dir, 'package.json'));
      expect({ license: pkg.license, prepare: (pkg.scripts as Record<string, string>).prepare }).toEqual({ license: 'MIT', prepare: undefined });
      expect(fs.readFileSync(path.join(app, 'node_modules', dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    }
  });
});

/** Runs the installed `payi` with a preload that reports, at exit, which heavy modules were loaded. */
async function payi(args: string[]): Promise<{ code: number; stdout: string; stderr: string; heavy: string[]; ms: number }> {
  const probe = path.join(work, 'probe.cjs');
  fs.writeFileSync(
    probe,
    "process.on('exit', () => { const heavy = [...new Set(Object.keys(require.cache).map((f) => /node_modules[\\\\/](better-sqlite3|fastify)[\\\\/]/.exec(f)?.[1]).filter(Boolean))]; process.stderr.write('\\nHEAVY ' + JSON.stringify(heavy) + '\\n'); });\n",
  );
  const r = await run(path.join(app, 'node_modules', '.bin', 'payi'), args, { cwd: app, env: { ...process.env, NODE_OPTIONS: `--require ${probe}`, PAYI_BASE_URL: '', PAYI_API_KEY: '' } });
  const m = /\nHEAVY (.*)\n$/.exec(r.stderr);
  return { code: r.code, stdout: r.stdout, stderr: m ? r.stderr.slice(0, m.index) : r.stderr, heavy: m ? (JSON.parse(m[1]) as string[]) : ['(probe did not run)'], ms: r.ms };
}

describe('the installed payi command', () => {
  let server: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    const db = path.join(work, 'data', 'payi.db');
    server = spawn(path.join(app, 'node_modules', '.bin', 'payi'), ['collector', '--port', '0', '--db', db], { cwd: app, env: { ...process.env, PAYI_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      server!.on('exit', (code) => reject(new Error(`payi collector exited (${code}): ${out}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
  });

  test('payi --help lists collector, report and replay (not the repository-only demo), without loading SQLite or fastify', async () => {
    const r = await payi(['--help']);
    expect({ code: r.code, heavy: r.heavy, stderr: r.stderr }).toEqual({ code: 0, heavy: [], stderr: '' });
    expect(r.stdout.match(/^ {2}(\w+)/gm)?.map((s) => s.trim())).toEqual(['collector', 'report', 'replay', 'help']);
    process.stdout.write(`payi --help: ${r.ms} ms\n`);
  });

  test('payi --version prints the collector package version without loading SQLite', async () => {
    const r = await payi(['--version']);
    expect({ code: r.code, stdout: r.stdout.trim(), heavy: r.heavy }).toEqual({ code: 0, stdout: readJson(path.join(ROOT, 'collector', 'package.json')).version, heavy: [] });
  });

  test('payi demo outside the repository says where it runs', async () => {
    const r = await payi(['demo']);
    expect({ code: r.code, stderr: r.stderr.trim() }).toEqual({ code: 1, stderr: expect.stringContaining('npm install && npm start') });
  });

  test('payi collector answers on its port: the Pay-i ingest API and the cost page', async () => {
    const page = await fetch(`${url}/`);
    expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringMatching(/^text\/html/) });
    const report = await fetch(`${url}/api/v1/reports/cost?by=use_case`);
    expect(report.status).toBe(200);
  });

  test('an event sent by the installed SDK shows in payi report (which loads no SQLite)', async () => {
    const script = path.join(app, 'send.cjs');
    fs.writeFileSync(
      script,
      `const { Payi } = require('payi-instrument');
new Payi({ baseUrl: process.argv[2], apiKey: 'k' }).ingest.units({
  category: 'system.openai', resource: 'gpt-4o-mini', units: { text: { input: 1000, output: 200 } },
  event_timestamp: new Date().toISOString(), http_status_code: 200, use_case_name: 'install_check', user_id: 'u1',
}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });
`,
    );
    const sent = await run(process.execPath, [script, url], { cwd: app });
    expect({ code: sent.code, stderr: sent.stderr, requestId: (JSON.parse(sent.stdout) as { request_id?: unknown }).request_id }).toEqual({ code: 0, stderr: '', requestId: expect.any(String) });
    const r = await payi(['report', '--by', 'use_case', '--json', '--url', url]);
    expect({ code: r.code, heavy: r.heavy }).toEqual({ code: 0, heavy: [] });
    const rows = JSON.parse(r.stdout) as { key: string; cost_usd: number }[];
    expect(rows).toEqual([{ key: 'install_check', requests: 1, input_tokens: 1000, output_tokens: 200, cost_usd: expect.any(Number), estimated_requests: 0 }]);
    expect(rows[0].cost_usd).toBeGreaterThan(0);
    const table = await payi(['report', '--by', 'user', '--url', url]);
    expect(table.stdout).toContain('u1');
  });

  test('payi replay sends a spill file to the collector without loading SQLite', async () => {
    const spill = path.join(work, 'undelivered.jsonl');
    const ev = { category: 'system.anthropic', resource: 'claude-haiku-4-5', units: { text: { input: 10, output: 5 } }, event_timestamp: new Date().toISOString(), http_status_code: 200, use_case_name: 'replayed' };
    fs.writeFileSync(spill, JSON.stringify(ev) + '\n');
    const r = await payi(['replay', spill, '--url', url]);
    expect({ code: r.code, heavy: r.heavy, stdout: r.stdout.trim() }).toEqual({ code: 0, heavy: [], stdout: expect.stringContaining('1 events, 1 sent') });
  });
});

describe('every public entry loads', () => {
  test('require() from CommonJS', async () => {
    const r = await run(
      process.execPath,
      ['-e', "const s = require('payi-instrument'), i = require('payi-instrument/internal'), c = require('@payi-instrument/collector'); console.log(JSON.stringify([typeof s.payiInstrument, typeof s.Track, typeof s.Payi, typeof i.readEnv, typeof c.startCollector, require('payi-instrument/package.json').name]))"],
      { cwd: app },
    );
    expect({ code: r.code, out: JSON.parse(r.stdout) as unknown }).toEqual({ code: 0, out: ['function', 'function', 'function', 'function', 'function', 'payi-instrument'] });
  });

  test('import from native ESM (named exports)', async () => {
    const file = path.join(app, 'entries.mjs');
    fs.writeFileSync(
      file,
      "import { payiInstrument, Track, PayiConfigError } from 'payi-instrument';\nimport { useCaseNameProblem } from 'payi-instrument/internal';\nimport { startCollector, PriceTable } from '@payi-instrument/collector';\nconsole.log(JSON.stringify([typeof payiInstrument, typeof Track, typeof PayiConfigError, useCaseNameProblem('a b'), typeof startCollector, typeof PriceTable]));\n",
    );
    const r = await run(process.execPath, [file], { cwd: app });
    expect({ code: r.code, out: JSON.parse(r.stdout) as unknown }).toEqual({ code: 0, out: ['function', 'function', 'function', 'has a space', 'function', 'function'] });
  });
});

describe('types', () => {
  const consumer = `import { payiInstrument, Track, createHeaders, type PayiEvent } from 'payi-instrument';
import { useCaseNameProblem } from 'payi-instrument/internal';
import { startCollector, type RunningCollector } from '@payi-instrument/collector';
export async function main(): Promise<number> {
  payiInstrument({ baseUrl: 'http://127.0.0.1:7480', ingest: { mode: 'inline' } });
  const c: RunningCollector = await startCollector({ port: 0, dbPath: ':memory:' });
  const ev: Partial<PayiEvent> = { category: 'system.openai' };
  const h: Record<string, string> = createHeaders({ userId: 'u' });
  const row = c.db.prepare('select 1 as one').get() as { one: number };
  await c.close();
  void Track; void ev; void h; void useCaseNameProblem('x');
  return row.one;
}
`;
  test.each([
    ['node10 (module commonjs)', { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' }, 'consumer.ts'],
    ['node16', { module: 'node16', moduleResolution: 'node16' }, 'consumer.ts'],
    ['node16, ESM file', { module: 'node16', moduleResolution: 'node16' }, 'consumer.mts'],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, 'consumer.mts'],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'consumer.ts'],
  ])('a strict app type-checks against every entry without skipLibCheck: %s', async (name, options, file) => {
    const dir = path.join(app, 'tsc-' + name.replace(/\W+/g, '-'));
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, file), consumer);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', types: ['node'], ...options }, files: [file] }));
    const r = await run(process.execPath, [TSC, '-p', dir], { cwd: dir });
    expect({ code: r.code, errors: r.stdout.trim() }).toEqual({ code: 0, errors: '' });
  }, 120_000);

  test('the same app type-checks with TypeScript 7 (what users compile with; it cannot sit beside ts-jest here)', async () => {
    const ts7 = path.join(work, 'ts7');
    fs.mkdirSync(ts7);
    fs.writeFileSync(path.join(ts7, 'package.json'), JSON.stringify({ private: true }));
    const installed = await run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', 'typescript@7'], { cwd: ts7, timeoutMs: 300_000 });
    expect(installed.code).toBe(0);
    const failures: string[] = [];
    for (const [module, moduleResolution, file] of [['commonjs', undefined, 'consumer.ts'], ['node16', 'node16', 'consumer.mts'], ['nodenext', 'nodenext', 'consumer.ts'], ['esnext', 'bundler', 'consumer.ts']] as const) {
      const dir = path.join(app, `ts7-${module}-${file}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, file), consumer);
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', types: ['node'], module, moduleResolution }, files: [file] }));
      const r = await run(path.join(ts7, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir });
      if (r.code !== 0) failures.push(`${module}/${file}: ${r.stdout}${r.stderr}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  test.each([['payi-instrument'], ['@payi-instrument/collector']])('%s resolves under node10, node16 (CJS and ESM) and bundler (arethetypeswrong)', async (name) => {
    const tarball = name === 'payi-instrument' ? sdk.file : collector.file;
    const r = await run(process.execPath, [ATTW, tarball, '--format', 'json'], { cwd: work });
    const report = JSON.parse(r.stdout) as { analysis?: { problems?: unknown[] }; problems?: unknown };
    expect({ code: r.code, problems: report.analysis?.problems ?? report.problems }).toEqual({ code: 0, problems: [] });
  }, 120_000);
});
