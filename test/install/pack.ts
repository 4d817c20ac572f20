import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** A command's outcome. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
}

/** Runs a command to its end; never rejects on a non-zero exit (the code is in the result). */
export async function run(cmd: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr, ms: Date.now() - started };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message, ms: Date.now() - started };
  }
}

/** One packed tarball, as `npm pack --json` describes it. */
export interface Packed {
  /** Absolute path of the `.tgz`. */
  file: string;
  /** Paths inside the package, sorted. */
  paths: string[];
  /** Bytes of the tarball and of its files unpacked. */
  size: number;
  unpackedSize: number;
}

/** The npm executable beside the running Node (`npm` on PATH may belong to another Node). */
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Packs the package in `dir` (its `prepack` builds it) into `dest` and returns what `npm pack`
 * reported. Throws with npm's output when packing fails.
 */
export async function pack(dir: string, dest: string): Promise<Packed> {
  const r = await run(NPM, ['pack', '--json', '--pack-destination', dest], { cwd: dir, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`npm pack in ${dir} failed (${r.code}):\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  return { file: path.join(dest, info.filename), paths: info.files.map((f) => f.path).sort(), size: info.size, unpackedSize: info.unpackedSize };
}

/** A fresh, empty folder under the OS temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
