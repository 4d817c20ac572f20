/**
 * Jest transformer for the legacy project: compiles the ESM-only `@nestjs/*` 12 packages to
 * CommonJS so jest's CommonJS module system can load them on Node 20 (plain Node >= 20.19 loads
 * them with require(esm); jest's own loader only does so from Node 24.9). ts-jest cannot be used
 * for these files: it leaves `import.meta.url` in place, which is a syntax error in CommonJS, so
 * `import.meta.url` is replaced by the CommonJS equivalent first. Dynamic `import()` becomes
 * `require()`, so Nest's lazy loading of `@nestjs/platform-express` works too.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const ts = require('typescript');

/** This file's own text is part of the cache key, so editing it invalidates jest's cache. */
const SELF = fs.readFileSync(__filename);

module.exports = {
  process(source, filename) {
    const code = source.replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href");
    const out = ts.transpileModule(code, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(SELF).update(ts.version).update(filename).update(source).digest('hex');
  },
};
