import type { Config } from 'jest';

/**
 * Two jest projects: the whole suite under TC39 standard decorators (tsconfig.json), and the
 * decorator and NestJS suites again under legacy `experimentalDecorators` (tsconfig.legacy.json),
 * so one import is proven in both TypeScript decorator modes.
 */
// the OTLP exporters load node:http with import(), which jest's CommonJS loader refuses without
// --experimental-vm-modules: compiled to require() like the ESM-only packages
const esmOnly = ['p-queue', 'p-timeout', 'eventemitter3', 'tokenx', '@opentelemetry/otlp-exporter-base'];
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // p-queue is ESM-only: transform it (and its ESM deps) with ts-jest instead of ignoring node_modules.
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // samples import the package by its name, as a user would
  moduleNameMapper: { '^payi-instrument$': '<rootDir>/src/index.ts' },
};

const config: Config = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'standard',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.legacy\\.test\\.ts$', '/node_modules/'],
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
        '^.+\\.m?js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
      },
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
