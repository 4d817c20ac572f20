import { spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * The `payi` command run as a child process, from the TypeScript sources through ts-node's
 * transpile-only register hook (no build step; type errors are tsc's job), with tsconfig-paths
 * resolving `payi-instrument` to the SDK sources as tsconfig.json maps it. The compiled `bin`
 * (dist/cli/payi.js) runs the same code.
 */
export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'cli', 'payi.ts');

/** What a `payi` run printed and how it ended. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `payi ARGS` with `env` added to this process's environment (no PAYI_* unless given). */
export function payi(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, PAYI_BASE_URL: undefined, PAYI_API_KEY: undefined, PAYI_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
