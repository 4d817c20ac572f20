/**
 * This package's name and version, as sent in `xProxy-Instrumented-Module` on every single ingest
 * (the Python SDK sends its own the same way). `test/wire/sdk-requests.test.ts` checks that it
 * equals `package.json`'s version, so the two cannot drift.
 */
export const SDK_MODULE = { name: 'payi-instrument', version: '0.1.0' } as const;
