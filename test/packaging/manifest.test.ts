import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

/**
 * The two packages' manifests against their code: every module a published file imports is
 * declared (issue 10: the collector crashed four times on undeclared modules), and this
 * repository's development install provides each collector dependency in a version the collector
 * package admits. `test/install/` proves the same end to end from the packed tarballs (slow).
 */
const ROOT = path.join(__dirname, '..', '..');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}
const read = (file: string): Manifest => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Manifest;
const sdk = read('package.json');
const collector = read('collector/package.json');

/** `.ts` files under `dirs`, minus compiled output and `skip`. */
function sources(dirs: string[], skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'dist' && e.name !== 'node_modules') walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.legacy.ts') && !skip.includes(path.relative(ROOT, p))) out.push(p);
    }
  };
  for (const d of dirs) walk(path.join(ROOT, d));
  return out;
}

/** Package names a set of files imports (`import`/`export ... from`, `require`, `import()`), builtins excluded. */
function importedPackages(files: string[]): string[] {
  const names = new Set<string>();
  for (const f of files) {
    // code lines only: TSDoc examples show imports too
    const text = fs.readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n');
    for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*|^import\s+)'([^'.][^']*)'/gm)) {
      const spec = m[1];
      if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return [...names].sort();
}

/** Whether an installed package ships its own type declarations (else its `@types/` package is needed). */
function hasOwnTypes(name: string): boolean {
  const dir = path.join(ROOT, 'node_modules', name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { types?: string; typings?: string; exports?: unknown };
  return Boolean(pkg.types || pkg.typings || fs.existsSync(path.join(dir, 'index.d.ts')) || JSON.stringify(pkg.exports ?? '').includes('"types"'));
}

test('the SDK imports only its dependencies and optional peers (no web server, no native module)', () => {
  const declared = [...Object.keys(sdk.dependencies ?? {}), ...Object.keys(sdk.peerDependencies ?? {})];
  const undeclared = importedPackages(sources(['src', 'decorators', 'providers'])).filter((n) => !declared.includes(n));
  expect(undeclared).toEqual([]);
  // tokenx (2 kB, no dependencies) estimates the tokens of abandoned streams (docs/reliability.md)
  expect(Object.keys(sdk.dependencies ?? {}).sort()).toEqual(['p-queue', 'pino', 'reflect-metadata', 'tokenx']);
});

test('the collector package declares every module its code imports, with types for those without their own', () => {
  const deps = Object.keys(collector.dependencies ?? {});
  const imported = importedPackages(sources(['collector', 'cli'], ['cli/demo.ts']));
  expect(imported.filter((n) => !deps.includes(n))).toEqual([]);
  const untyped = imported.filter((n) => n !== 'payi-instrument' && !n.startsWith('@types/') && !hasOwnTypes(n));
  expect(untyped.filter((n) => !deps.includes(`@types/${n}`))).toEqual([]);
  expect(collector.dependencies?.['payi-instrument']).toBe(`^${sdk.version}`);
});

test("this repository's install provides every collector dependency in a range the collector admits", () => {
  const repository = { ...sdk.dependencies, ...sdk.devDependencies };
  const mismatched = Object.entries(collector.dependencies ?? {})
    .filter(([name]) => name !== 'payi-instrument')
    .filter(([name, range]) => !range.split(' || ').includes(repository[name] ?? '(missing)'))
    .map(([name, range]) => `${name}: collector ${range}, repository ${repository[name] ?? 'missing'}`);
  expect(mismatched).toEqual([]);
});

test('both packages build in prepack (not prepare) and carry the same MIT licence', () => {
  for (const m of [sdk, collector]) expect({ name: m.name, prepare: m.scripts?.prepare, prepack: typeof m.scripts?.prepack }).toEqual({ name: m.name, prepare: undefined, prepack: 'string' });
  const licence = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
  expect(licence).toMatch(/^MIT License/);
  expect(fs.readFileSync(path.join(ROOT, 'collector', 'LICENSE'), 'utf8')).toBe(licence);
});
