import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { PROVIDER_CATALOGUE, catalogueTable } from '../../providers/registry';
import { isPayiWrapper } from '../../providers/shared/patch';
import { PayiCategories, payiInstrument, shutdown } from '../../src';
import { CaptureClient } from '../support/capture-client';

/** Where each provider's adapter patches (what `shutdown()` must restore), by catalogue id. */
const PATCH_POINTS: Record<string, () => [object, string][]> = {
  openai: () => {
    const { OpenAI } = require('openai');
    return [
      [OpenAI.Chat.Completions.prototype, 'create'],
      [OpenAI.Responses.prototype, 'create'],
      [OpenAI.Embeddings.prototype, 'create'],
    ];
  },
  anthropic: () => {
    const { Anthropic } = require('@anthropic-ai/sdk');
    return [
      [Anthropic.Messages.prototype, 'create'],
      [Anthropic.Beta.Messages.prototype, 'create'],
    ];
  },
  bedrock: () => [[require('@aws-sdk/client-bedrock-runtime').BedrockRuntimeClient.prototype, 'send']],
  // the AI SDK is not patched: its integration is registered with the AI SDK's own extension point
  // (test/frameworks/ai-sdk-modes.test.ts checks the registration and its removal)
  'ai-sdk': () => [],
  google: () => {
    const { Models } = require('@google/genai');
    return ['generateContentInternal', 'generateContentStreamInternal', 'embedContentInternal'].map((m) => [Models.prototype, m] as [object, string]);
  },
};

const instruments = PROVIDER_CATALOGUE.flatMap((entry) => entry.instruments.map((i) => ({ entry, ...i })));
const start = (names: string[]): void => payiInstrument({ payi: new CaptureClient(), logger: pino({ level: 'silent' }), useCaseName: null, instruments: names });
afterEach(() => shutdown());

test('every catalogue entry has a folder with the same files, and a row of patch points in this test', () => {
  for (const entry of PROVIDER_CATALOGUE) {
    const dir = path.join(__dirname, '../../providers', entry.id);
    for (const file of ['index.ts', 'adapter.ts', 'outcome.ts', 'stream-state.ts', 'units.ts', 'types.ts']) expect([entry.id, fs.existsSync(path.join(dir, file))]).toEqual([entry.id, true]);
    expect(typeof entry.load().patch).toBe('function');
    expect(Object.keys(entry.units()).length).toBeGreaterThan(0);
    expect(Object.keys(PATCH_POINTS)).toContain(entry.id);
  }
});

test.each(instruments.map((i) => [i.name, i]))('%s: accepted by instruments (by name and by category), in PayiCategories, patched while running and restored by shutdown()', async (_name, i) => {
  expect((PayiCategories as Record<string, string>)[i.categoryKey]).toBe(i.category);
  const points = PATCH_POINTS[i.entry.id]!();
  const before = points.map(([target, key]) => (target as Record<string, unknown>)[key]);
  expect(before.some(isPayiWrapper)).toBe(false);
  for (const names of [[i.name], [i.category]]) {
    start(names);
    expect(points.map(([target, key]) => isPayiWrapper((target as Record<string, unknown>)[key]))).toEqual(points.map(() => true));
    await shutdown();
    expect(points.map(([target, key]) => (target as Record<string, unknown>)[key])).toEqual(before);
  }
});

test('a provider left out of instruments is not patched', () => {
  start(['openai']);
  for (const entry of PROVIDER_CATALOGUE.filter((e) => e.id !== 'openai')) {
    for (const [target, key] of PATCH_POINTS[entry.id]!()) expect([entry.id, key, isPayiWrapper((target as Record<string, unknown>)[key])]).toEqual([entry.id, key, false]);
  }
});

test('the providers table of docs/providers.md is the one rendered from the catalogue', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/providers.md'), 'utf8');
  expect(doc).toContain(catalogueTable());
  for (const i of instruments) expect(doc).toContain(`| \`${i.name}\` |`);
});

test("package.json declares each catalogue package as an optional peer dependency with the catalogue's range", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { peerDependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }> };
  for (const entry of PROVIDER_CATALOGUE) {
    expect([entry.packageName, pkg.peerDependencies[entry.packageName]]).toEqual([entry.packageName, entry.supportedVersions]);
    expect(pkg.peerDependenciesMeta[entry.packageName]?.optional).toBe(true);
  }
});
