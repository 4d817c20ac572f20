import type { Config } from 'jest';

/**
 * jest projects: the whole suite under TC39 standard decorators (tsconfig.json); the decorator and
 * NestJS suites again under legacy `experimentalDecorators` (tsconfig.legacy.json), so one import is
 * proven in both TypeScript decorator modes; the OpenAI suite again against openai 7; and the
 * install test (packs and installs the packages), which `npm test` leaves out (`npm run test:install`; CI runs both).
 */
// the AI SDK (`ai`, `@ai-sdk/*`) and its ESM-only dependencies are transformed the same way; the OTLP
// exporters load node:http with import(), which jest's CommonJS loader refuses without
// --experimental-vm-modules: compiled to require() too
const esmOnly = ['p-queue', 'p-timeout', 'eventemitter3', 'tokenx', 'ai', '@ai-sdk', '@workflow', 'eventsource-parser', '@opentelemetry/otlp-exporter-base'];
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // p-queue is ESM-only: transform it (and its ESM deps) with ts-jest instead of ignoring node_modules.
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // samples import the package by its name, as a user would
  // @ai-sdk/provider-utils imports zod's locale by its ESM file name; its CommonJS twin is beside it
  moduleNameMapper: { '^payi-instrument$': '<rootDir>/src/index.ts', '^payi-instrument/internal$': '<rootDir>/src/internal.ts', '^zod/v4/locales/(.*)\\.js$': 'zod/v4/locales/$1.cjs' },
};
const standardTransform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  '^.+\\.m?js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
} as const;

const config: Config = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'standard',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.legacy\\.test\\.ts$', '/node_modules/', '<rootDir>/test/install/'],
      transform: standardTransform,
    },
    {
      // The OpenAI suite again against the newest openai 7 (installed under the alias `openai-v7`);
      // the standard project runs it against openai 6. Every `openai` import, the SDK's own
      // resolution included, gets the v7 copy.
      ...shared,
      displayName: 'openai-v7',
      testMatch: ['<rootDir>/test/providers/openai/**/*.test.ts'],
      moduleNameMapper: { ...shared.moduleNameMapper, '^openai$': 'openai-v7', '^openai/(.*)$': 'openai-v7/$1' },
      transform: standardTransform,
    },
    {
      // Packs both packages and installs them into a fresh app (slow: `npm run test:install`, CI step).
      ...shared,
      displayName: 'install',
      testMatch: ['<rootDir>/test/install/**/*.test.ts'],
      transform: standardTransform,
    },
    {
      ...shared,
      displayName: 'legacy',
      testMatch: ['<rootDir>/test/decorators/**/*.test.ts', '<rootDir>/test/**/*.legacy.test.ts'],
      // @nestjs/* 12 is ESM-only and jest's CommonJS loader cannot require() ESM before Node 24.9:
      // the legacy project compiles it to CommonJS (test/nestjs/esm-to-cjs.js says why not ts-jest).
      transformIgnorePatterns: [`/node_modules/(?!(${[...esmOnly, '@nestjs'].join('|')})/)`],
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.legacy.json' }],
        '/node_modules/@nestjs/.+\\.js$': '<rootDir>/test/nestjs/esm-to-cjs.js',
        '^.+\\.m?js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
      },
    },
  ],
};

export default config;
