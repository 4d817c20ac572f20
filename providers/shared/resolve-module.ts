import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { PayiLogger } from '../../src/internal/logger';
import type { Unpatch } from '../../src/recording/types';
import { canWatchCommonJs, canWatchEsm, watchCommonJs, watchEsm, type StopWatch } from './module-watch';

/** One loaded copy of a provider SDK module. */
export interface ModuleCopy {
  /** Where it came from: the `modules` option, the CommonJS build (`require`), or the ESM build (`require(esm)`). */
  readonly source: 'option' | 'cjs' | 'esm';
  /** The resolved file, for the `cjs` and `esm` copies. */
  readonly file?: string;
  /** The module's exports (for ESM: the module namespace). */
  readonly exports: Record<string, unknown>;
}

/** Options of {@link loadModuleCopies}. */
export interface LoadModuleOptions {
  /** A module the user handed over (`settings.modules.<name>`): used first, and alone when `onlyGiven`. */
  given?: unknown;
  /** Use only `given` when it is set (default `false`: `given` plus what resolution finds). */
  onlyGiven?: boolean;
  /** Where to resolve from; default: {@link defaultSearchPaths}. */
  searchFrom?: readonly string[];
  /** Logs why a copy could not be loaded (at `debug`). */
  logger?: PayiLogger;
  /** Look for the package's ESM build too (default `true`; `false` for packages whose `import` loads the CommonJS build). */
  esm?: boolean;
}

// The ambient `require` (jest's registry in tests, Node's otherwise) for the CommonJS build, so the
// copy we patch is the one the application's own `require('openai')` returns.
const ambientRequire: NodeJS.Require = require;
// Node's own loader for the ESM build: `require()` of an ES module is synchronous on Node >= 20.19
// and shares the ESM cache with the application's `import`.
const nodeRequire: NodeJS.Require = createRequire(__filename);

/**
 * Frameworks that call a provider SDK through a copy of their own (npm nests it under the framework
 * when the application's version does not satisfy the framework's range): `@langchain/openai` and
 * the Agents SDK carry `openai` 7, `@langchain/anthropic` an `@anthropic-ai/sdk` 0.x. A provider SDK
 * is also resolved from each of these that is installed, so every nested copy is instrumented.
 */
export const FRAMEWORK_PACKAGES: readonly string[] = ['@langchain/openai', '@langchain/anthropic', '@langchain/google-genai', '@openai/agents', '@openai/agents-openai', '@openai/agents-core'];

/** A folder to resolve a provider SDK from; `nested` for a framework package's folder (its own copy). */
export interface SearchPath {
  readonly from: string;
  readonly nested: boolean;
}

/**
 * The default folders to resolve a provider SDK from: the app's cwd, its entry script, this package,
 * and the folders of the installed {@link FRAMEWORK_PACKAGES} (which find their nested copies).
 */
export function defaultSearchPaths(): SearchPath[] {
  const base = [process.cwd()];
  const main = require.main?.filename ?? process.argv[1];
  if (main) base.push(path.dirname(main));
  base.push(__dirname);
  const out: SearchPath[] = base.map((from) => ({ from, nested: false }));
  for (const framework of FRAMEWORK_PACKAGES) {
    try {
      out.push({ from: path.dirname(ambientRequire.resolve(framework, { paths: base })), nested: true });
    } catch {
      /* not installed */
    }
  }
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.from) && !!seen.add(p.from));
}

/**
 * Patches every copy of a provider SDK the application uses, as it comes into use: the module
 * handed over in `modules` at once; a CommonJS copy (resolved from the application's location, this
 * package and the framework packages that nest their own) at once when the application has loaded
 * it, else when it first does (nothing is loaded for the application). An ESM copy is watched the
 * same way where Node has `module.registerHooks` and the application started from CommonJS;
 * otherwise (an ES module entry, whose imports ran before this call; Node 20; a module registry of
 * its own, such as jest's) it is loaded at once, as are CommonJS copies under such a registry,
 * except a framework's nested ESM copy in a CommonJS app without the hooks, which is left out.
 * `patchCopy` returns the undos of what it patched. Returns the undo of everything patched (now or
 * later) that also stops the watches, or `undefined` when the package is not installed.
 *
 * @example
 * ```ts
 * const undo = instrumentModuleCopies('openai', { given: settings.modules.openai, logger }, (copy) => patchOpenAI(copy.exports));
 * ```
 */
export function instrumentModuleCopies(packageName: string, options: LoadModuleOptions, patchCopy: (copy: ModuleCopy) => Unpatch[]): Unpatch | undefined {
  const undos: Unpatch[] = [];
  const stops: StopWatch[] = [];
  const seen = new Set<unknown>();
  let stopped = false;
  let found = false;
  const patch = (copy: ModuleCopy): void => {
    if (stopped || seen.has(copy.exports)) return;
    seen.add(copy.exports);
    try {
      undos.push(...patchCopy(copy));
    } catch (err) {
      options.logger?.warn({ err }, `payi: patching ${packageName} (${copy.file ?? copy.source}) failed; that copy is not instrumented`);
    }
  };
  const given = options.given;
  if (given !== undefined && given !== null && (typeof given === 'object' || typeof given === 'function')) {
    found = true;
    patch({ source: 'option', exports: given as Record<string, unknown> });
  }
  if (!(found && options.onlyGiven)) {
    const watchCjs = canWatchCommonJs(ambientRequire);
    const commonJsApp = require.main !== undefined;
    const watchEsmCopies = watchCjs && canWatchEsm() && commonJsApp;
    const files = new Set<string>();
    const paths = options.searchFrom?.map((from) => ({ from, nested: false })) ?? defaultSearchPaths();
    for (const { from, nested } of paths) {
      let cjsFile: string;
      try {
        cjsFile = ambientRequire.resolve(packageName, { paths: [from] });
      } catch {
        continue;
      }
      found = true;
      if (!files.has(cjsFile)) {
        files.add(cjsFile);
        if (watchCjs) stops.push(watchCommonJs(cjsFile, (exports) => patch({ source: 'cjs', file: cjsFile, exports })));
        else tryLoad(ambientRequire, cjsFile, 'cjs', patch, options.logger);
      }
      const esmFile = options.esm === false ? undefined : esmEntryOf(packageName, cjsFile);
      if (esmFile && !files.has(esmFile)) {
        files.add(esmFile);
        const stop = watchEsmCopies ? watchEsm(esmFile, (exports) => patch({ source: 'esm', file: esmFile, exports })) : undefined;
        if (stop) stops.push(stop);
        // Without hooks, a CommonJS app reaches a framework's nested ESM copy only by import()ing
        // the framework: that copy is not loaded up front (docs/providers.md).
        else if (!(nested && commonJsApp && watchCjs)) tryLoad(nodeRequire, esmFile, 'esm', patch, options.logger);
      }
    }
  }
  if (!found) return undefined;
  return () => {
    stopped = true;
    for (const stop of stops) stop();
    for (const undo of undos.reverse()) undo();
  };
}

function tryLoad(req: NodeJS.Require, file: string, source: 'cjs' | 'esm', add: (c: ModuleCopy) => void, logger?: PayiLogger): void {
  try {
    const exports = req(file) as Record<string, unknown>;
    if (exports && (typeof exports === 'object' || typeof exports === 'function')) add({ source, file, exports });
  } catch (err) {
    logger?.debug({ err }, `payi: could not load the ${source} build ${file}; that copy is not instrumented`);
  }
}

/**
 * The file of a package's ESM entry (the `import` or `default` condition of `exports["."]`), found
 * from the package.json above its CommonJS entry; `undefined` when it has none or it is the same file.
 */
export function esmEntryOf(packageName: string, cjsFile: string): string | undefined {
  let dir = path.dirname(cjsFile);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string; exports?: unknown; module?: string };
        if (pkg.name === packageName) {
          const rootExport = pickRoot(pkg.exports);
          const target = importTarget(rootExport) ?? pkg.module;
          if (!target) return undefined;
          const file = path.resolve(dir, target);
          return file !== cjsFile && fs.existsSync(file) ? file : undefined;
        }
      } catch {
        return undefined;
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function pickRoot(exportsField: unknown): unknown {
  if (!exportsField || typeof exportsField !== 'object' || Array.isArray(exportsField)) return exportsField;
  const rec = exportsField as Record<string, unknown>;
  return '.' in rec ? rec['.'] : Object.keys(rec).some((k) => k.startsWith('.')) ? undefined : rec;
}

function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry.endsWith('.mjs') ? entry : undefined;
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const rec = entry as Record<string, unknown>;
  for (const key of ['node', 'import', 'default']) {
    if (!(key in rec)) continue;
    const found = typeof rec[key] === 'string' && key !== 'node' ? (rec[key] as string) : importTarget(rec[key]);
    if (found && !found.endsWith('.d.ts') && !found.endsWith('.d.mts')) return found;
  }
  return undefined;
}
