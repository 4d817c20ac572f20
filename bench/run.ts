/**
 * `npm run bench`: runs every benchmark of this folder in its own Node process, one after the
 * other, so that one's heap and JIT state do not colour the next. Each prints its own figures and
 * ratios against the raw call measured in the same run; none fails on a number. Before the
 * in-process benchmark it installs the peer SDKs it compares with (bench/peers, from their lock
 * file, once) unless `BENCH_PEERS=0`; if that fails the benchmark runs without them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { peersDir } from './inprocess/peers';

/** Installs bench/peers (`npm ci`) when it is not installed yet; says what it did. */
function installPeers(): void {
  if (process.env.BENCH_PEERS === '0' || peersDir()) return;
  const dir = path.resolve(__dirname, '..', '..', 'bench', 'peers');
  if (!fs.existsSync(path.join(dir, 'package-lock.json'))) return;
  console.log(`\n## peers: installing the peer SDKs once (npm ci --prefix ${path.relative(process.cwd(), dir)})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--prefix', dir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) console.log('## peers: not installed; the in-process benchmark runs without them');
}

const BENCHES = ['context', 'inprocess', 'promotion', 'loopback', 'overhead', 'delivery', 'collector', 'otel'];

function main(): void {
  const only = process.argv.slice(2);
  let failed = 0;
  for (const name of BENCHES) {
    if (only.length > 0 && !only.includes(name)) continue;
    const file = path.join(__dirname, `${name}.js`);
    if (!fs.existsSync(file)) {
      console.log(`\n## ${name}: not built (${file} missing)`);
      continue;
    }
    if (name === 'inprocess' || name === 'loopback') installPeers();
    console.log(`\n## ${name}`);
    const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit', env: { ...process.env, PAYI_LOG_LEVEL: 'silent' } });
    if (r.status !== 0) {
      failed++;
      console.log(`## ${name} exited with ${r.status ?? r.signal}`);
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
