import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { PayiLogger } from '../../src/internal/logger';

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
  /** Where to resolve from; default: `process.cwd()`, the entry script's folder, and this package. */
  searchFrom?: readonly string[];
  /** Logs why a copy could not be loaded (at `debug`). */
  logger?: PayiLogger;
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

/**
 * The default folders to resolve a provider SDK from: the app's cwd, its entry script, this package,
 * and the folders of the installed {@link FRAMEWORK_PACKAGES} (which find their nested copies).
 */
export function defaultSearchPaths(): string[] {
  const out = [process.cwd()];
  const main = require.main?.filename ?? process.argv[1];
  if (main) out.push(path.dirname(main));
  out.push(__dirname);
  const base = [...out];
  for (const framework of FRAMEWORK_PACKAGES) {
    try {
      out.push(path.dirname(ambientRequire.resolve(framework, { paths: base })));
    } catch {
      /* not installed */
    }
  }
  return [...new Set(out)];
}

/**
 * Finds and loads every copy of a provider SDK an application may use: the module handed over in
 * `modules`, the CommonJS build (via `require`) and the ESM build (the package's `import` export,
 * via synchronous `require(esm)`), resolved from the application's location and from this package.
 * Copies are de-duplicated by file; a copy that cannot be loaded is skipped (logged at debug).
 * Returns `[]` when the package is not installed.
 *
 * @example
 * ```ts
 * for (const copy of loadModuleCopies('openai', { given: settings.modules.openai, logger })) {
 *   patchMethod(getOpenAIClass(copy.exports).Chat.Completions.prototype, 'create', wrap);
 * }
 * ```
 */
export function loadModuleCopies(packageName: string, options: LoadModuleOptions = {}): ModuleCopy[] {
  const copies: ModuleCopy[] = [];
  const seen = new Set<unknown>();
  const add = (copy: ModuleCopy): void => {
    if (seen.has(copy.exports)) return;
    seen.add(copy.exports);
    copies.push(copy);
  };
  const given = options.given;
  if (given !== undefined && given !== null && (typeof given === 'object' || typeof given === 'function')) {
    add({ source: 'option', exports: given as Record<string, unknown> });
    if (options.onlyGiven) return copies;
  }
  const files = new Set<string>();
  for (const from of options.searchFrom ?? defaultSearchPaths()) {
    let cjsFile: string;
    try {
      cjsFile = ambientRequire.resolve(packageName, { paths: [from] });
    } catch {
      continue;
    }
    if (!files.has(cjsFile)) {
      files.add(cjsFile);
      tryLoad(ambientRequire, cjsFile, 'cjs', add, options.logger);
    }
    const esmFile = esmEntryOf(packageName, cjsFile);
    if (esmFile && !files.has(esmFile)) {
      files.add(esmFile);
      tryLoad(nodeRequire, esmFile, 'esm', add, options.logger);
    }
  }
  return copies;
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
