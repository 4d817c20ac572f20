import { PayiCategories } from '../../src/headers/names';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { costOf, PriceTable } from '../../collector';
import { PayiConfigError } from '../../src/errors';

const prices = PriceTable.load();
const at = '2025-12-01T00:00:00Z';

describe('price tables shipped in collector/prices', () => {
  test('cover every category the SDK sends', () => {
    // the categories come from the provider catalogue (providers/registry.ts)
    expect(prices.categories().sort()).toEqual([...new Set(Object.values(PayiCategories))].sort());
  });

  test.each([
    ['system.openai', 'gpt-4o-2024-08-06', 'gpt-4o'],
    ['system.openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['system.openai', 'gpt-4.1-nano', 'gpt-4.1-nano'],
    ['system.openai', 'o4-mini-2025-04-16', 'o4-mini'],
    ['system.openai', 'gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['system.openai', 'text-embedding-3-small', 'text-embedding-3-small'],
    ['system.azureopenai', 'gpt-4o', 'gpt-4o'],
    ['system.google.vertex', 'google.gemini-2.5-flash', 'google.gemini-2.5-flash'],
    ['system.anthropic', 'claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['system.anthropic', 'claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['system.anthropic', 'claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['system.anthropic', 'claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['system.aws.bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'anthropic.claude-sonnet-4'],
    ['system.aws.bedrock', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet'],
    ['system.aws.bedrock', 'amazon.nova-pro-v1:0', 'amazon.nova-pro'],
    ['system.aws.bedrock', 'meta.llama3-1-70b-instruct-v1:0', 'meta.llama3-1-70b-instruct'],
    ['system.aws.bedrock', 'amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v2'],
    ['system.aws.bedrock', 'openai.gpt-oss-120b-1:0', 'openai.gpt-oss-120b-1'],
  ])('%s %s is priced as %s', (category, resource, key) => {
    expect(prices.lookup(category, resource, at)?.resource).toBe(key);
  });

  test('an event is priced with the version in force on its date', () => {
    expect(prices.lookup('system.openai', 'o3', '2025-05-01T00:00:00Z')?.units.text).toEqual({ input: 10, output: 40 });
    expect(prices.lookup('system.openai', 'o3', '2025-07-01T00:00:00Z')?.units.text).toEqual({ input: 2, output: 8 });
  });

  test('cache, reasoning and large-context units have prices', () => {
    const c = costOf(prices, 'system.anthropic', 'claude-sonnet-4-5', {
      text_large_context: { input: 1_000_000, output: 1_000_000 },
      text_cache_read_large_context: { input: 1_000_000 },
      text_cache_write_1h_large_context: { input: 1_000_000 },
    }, at);
    expect(c.total).toBeCloseTo(6 + 22.5 + 0.6 + 12, 9);
    expect(c.unknownUnits).toEqual({});
    const o = costOf(prices, 'system.openai', 'o4-mini', { text: { input: 1e6, output: 1e6 }, text_cache_read: { input: 1e6 }, reasoning: { output: 1e6 } }, at);
    expect(o.total).toBeCloseTo(1.1 + 4.4 + 0.275 + 4.4, 9);
  });

  test('an unknown model or unit costs 0 and is listed, never rejected', () => {
    expect(costOf(prices, 'system.openai', 'gpt-99', { text: { input: 10 } }, at)).toEqual({ input: 0, output: 0, total: 0, unknownUnits: { text: { input: 10 } } });
    const partly = costOf(prices, 'system.openai', 'gpt-4o', { text: { input: 1e6 }, audio: { input: 5 } }, at);
    expect(partly.total).toBe(2.5);
    expect(partly.unknownUnits).toEqual({ audio: { input: 5 } });
  });

  test('a broken price file is a PayiConfigError naming the file and the value', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-prices-'));
    try {
      fs.writeFileSync(path.join(dir, 'x.json'), JSON.stringify({ category: 'system.x', versions: [{ version: 'v', effective_date: '2025-1-1', resources: {} }] }));
      expect(() => PriceTable.load(dir)).toThrow(PayiConfigError);
      expect(() => PriceTable.load(dir)).toThrow(`effective_date of v (expected YYYY-MM-DD) is "2025-1-1"`);
      expect(() => PriceTable.load(path.join(dir, 'missing'))).toThrow(/pricesDir ".*missing" does not exist/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
