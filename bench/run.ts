/**
 * `npm run bench`: runs every benchmark of this folder in its own Node process, one after the
 * other, so that one's heap and JIT state do not colour the next. Each prints its own figures and
 * ratios against the raw call measured in the same run; none fails on a number.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const BENCHES = ['context', 'inprocess', 'overhead', 'delivery', 'collector', 'otel'];

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
