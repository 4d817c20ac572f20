import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { calcPrice } from '@pydantic/genai-prices';
import { costOf, GenaiPrices, Pricing, PriceTable } from '../../collector';
import { PayiConfigError } from '../../src/errors';
import { call, event, startTestCollector } from './support';

const pricing = Pricing.load();
const at = '2025-12-01T00:00:00Z';
const VERSION = new GenaiPrices().version;

/**
 * Each case: an event's units as the SDK records them (leaves), and the same usage written out the
 * way genai-prices counts it (totals that contain their parts), priced by `calcPrice` directly.
 */
const cases: { name: string; category: string; resource: string; providerId: string; model: string; units: Record<string, { input?: number; output?: number }>; usage: Record<string, number> }[] = [
  {
    name: 'OpenAI with cached input and reasoning tokens',
    category: 'system.openai', resource: 'o4-mini-2025-04-16', providerId: 'openai', model: 'o4-mini-2025-04-16',
    units: { text: { input: 1200, output: 300 }, text_cache_read: { input: 800 }, reasoning: { output: 700 } },
    usage: { input_tokens: 2000, cache_read_tokens: 800, output_tokens: 1000 },
  },
  {
    name: 'Anthropic with 5-minute and 1-hour cache writes',
    category: 'system.anthropic', resource: 'claude-sonnet-4-5-20250929', providerId: 'anthropic', model: 'claude-sonnet-4-5-20250929',
    units: { text: { input: 1000, output: 500 }, text_cache_read: { input: 4000 }, text_cache_write: { input: 2000 }, text_cache_write_1h: { input: 3000 } },
    usage: { input_tokens: 10000, cache_read_tokens: 4000, cache_write_tokens: 5000, cache_write_1h_tokens: 3000, output_tokens: 500 },
  },
  {
    name: 'Anthropic long-context request (input over 200,000 tokens)',
    category: 'system.anthropic', resource: 'claude-sonnet-4-5', providerId: 'anthropic', model: 'claude-sonnet-4-5',
    units: { text_large_context: { input: 230000, output: 2000 }, text_cache_read_large_context: { input: 20000 } },
    usage: { input_tokens: 250000, cache_read_tokens: 20000, output_tokens: 2000 },
  },
  {
    name: 'Gemini with audio input, cached text and thoughts',
    category: 'system.google.vertex', resource: 'google.gemini-2.5-flash', providerId: 'google', model: 'gemini-2.5-flash',
    units: { text: { input: 3000, output: 400 }, audio: { input: 1500 }, text_cache_read: { input: 1000 }, reasoning: { output: 600 } },
    usage: { input_tokens: 5500, input_audio_tokens: 1500, cache_read_tokens: 1000, cache_audio_read_tokens: 0, output_tokens: 1000 },
  },
  {
    name: 'Bedrock, a cross-region Claude id',
    category: 'system.aws.bedrock', resource: 'us.anthropic.claude-sonnet-4-20250514-v1:0', providerId: 'aws', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
    units: { text: { input: 5000, output: 700 }, text_cache_read: { input: 1000 } },
    usage: { input_tokens: 6000, cache_read_tokens: 1000, output_tokens: 700 },
  },
  {
    name: 'Bedrock, Amazon Nova',
    category: 'system.aws.bedrock', resource: 'amazon.nova-pro-v1:0', providerId: 'aws', model: 'amazon.nova-pro-v1:0',
    units: { text: { input: 5000, output: 700 } },
    usage: { input_tokens: 5000, output_tokens: 700 },
  },
];

describe('prices from @pydantic/genai-prices', () => {
  test.each(cases)('$name costs what the price data gives', ({ category, resource, providerId, model, units, usage }) => {
    const expected = calcPrice(usage, model, { providerId, timestamp: new Date(at) });
    expect(expected).not.toBeNull();
    // twice: the first call fills the cache (checked against calcPrice), the second is served from it
    for (let i = 0; i < 2; i++) {
      const c = costOf(pricing, category, resource, units, at);
      expect(c.input).toBeCloseTo(expected!.input_price, 12);
      expect(c.output).toBeCloseTo(expected!.output_price, 12);
      expect(c.total).toBeCloseTo(expected!.total_price, 12);
      expect(c).toMatchObject({ priceVersion: VERSION, unknownUnits: {} });
    }
  });

  test('the long-context request is priced at the long-context rate, not the base rate', () => {
    const long = costOf(pricing, 'system.anthropic', 'claude-sonnet-4-5', { text_large_context: { input: 250000 } }, at);
    const short = costOf(pricing, 'system.anthropic', 'claude-sonnet-4-5', { text: { input: 150000 } }, at);
    expect(long.input / 250000).toBeGreaterThan(short.input / 150000);
  });

  test('a model with long-context rates: requests under the tier at the base rate, one over it at the tier rate, in any order', () => {
    const prices = new Pricing(undefined, new GenaiPrices());
    const expected = (input: number, output: number) => calcPrice({ input_tokens: input, output_tokens: output }, 'claude-sonnet-4-5', { providerId: 'anthropic', timestamp: new Date(at) })!;
    // the same set of units throughout: one cache entry, made by the first event, serves or hands over the rest
    for (const [input, output] of [[150_000, 1000], [250_000, 1000], [1000, 200], [199_000, 2000], [300_000, 10]]) {
      const c = costOf(prices, 'system.anthropic', 'claude-sonnet-4-5', { text: { input, output } }, at);
      expect([input, c.input, c.output]).toEqual([input, expect.closeTo(expected(input, output).input_price, 12), expect.closeTo(expected(input, output).output_price, 12)]);
    }
    const long = costOf(prices, 'system.anthropic', 'claude-sonnet-4-5', { text: { input: 250_000 } }, at);
    expect(long.input).toBeCloseTo((250_000 * 6) / 1e6, 12); // the data's long-context input rate, not the base 3
    // a fresh cache whose first event is long: the next short one is still at the base rate
    const fresh = new Pricing(undefined, new GenaiPrices());
    expect(costOf(fresh, 'system.anthropic', 'claude-sonnet-4-5', { text: { input: 300_000 } }, at).input).toBeCloseTo(expected(300_000, 0).input_price, 12);
    expect(costOf(fresh, 'system.anthropic', 'claude-sonnet-4-5', { text: { input: 1000 } }, at).input).toBeCloseTo(expected(1000, 0).input_price, 12);
  });

  test('a stored event carries the price version it was costed with', async () => {
    const c = await startTestCollector();
    try {
      const r = await call(c.url, 'POST', '/api/v1/ingest', event({ resource: 'gpt-4o-mini', provider_response_id: 'chatcmpl-p1' }));
      expect(r.status).toBe(200);
      const row = c.db.prepare('SELECT price_version, cost_total FROM events').get() as { price_version: string; cost_total: number };
      const expected = calcPrice({ input_tokens: 1000, output_tokens: 200 }, 'gpt-4o-mini', { providerId: 'openai' })!;
      expect(row.price_version).toBe(VERSION);
      expect(row.cost_total).toBeCloseTo(expected.total_price, 12);
    } finally {
      await c.close();
    }
  });

  test('events priced with another version of the data are recomputed when the collector starts', async () => {
    const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-prices-db-'));
    const dbPath = path.join(keep, 'payi.db');
    const first = await startTestCollector({ dbPath });
    try {
      await call(first.url, 'POST', '/api/v1/ingest', event({ provider_response_id: 'chatcmpl-old' }));
      first.db.prepare("UPDATE events SET price_version = 'genai-prices@0.0.1', cost_total = 99").run();
    } finally {
      await first.close();
    }
    const again = await startTestCollector({ dbPath });
    try {
      const row = again.db.prepare('SELECT price_version, cost_total FROM events').get() as { price_version: string; cost_total: number };
      expect(row.price_version).toBe(VERSION);
      expect(row.cost_total).toBeLessThan(1);
    } finally {
      await again.close();
      fs.rmSync(keep, { recursive: true, force: true });
    }
  });

  test('an unknown model or unit costs 0 and is listed, never rejected', () => {
    expect(costOf(pricing, 'system.openai', 'gpt-99', { text: { input: 10 } }, at)).toEqual({ input: 0, output: 0, total: 0, unknownUnits: { text: { input: 10 } } });
    const partly = costOf(pricing, 'system.openai', 'gpt-4o', { text: { input: 1e6 }, hologram: { input: 5 } }, at);
    expect(partly.total).toBeCloseTo(calcPrice({ input_tokens: 1e6 }, 'gpt-4o', { providerId: 'openai' })!.total_price, 12);
    expect(partly.unknownUnits).toEqual({ hologram: { input: 5 } });
  });
});

describe('local price files override the data', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-prices-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const negotiated = {
    category: 'system.openai',
    currency: 'usd',
    price_unit: 'usd_per_million',
    versions: [{ version: 'acme-2025', effective_date: '2025-01-01', resources: { 'gpt-4o': { text: { input: 1, output: 2 } }, 'in-house-model': { text: { input: 3 } } } }],
  };

  test('a negotiated price beats the data, and a model the data lacks gets a price', () => {
    fs.writeFileSync(path.join(dir, 'openai.json'), JSON.stringify(negotiated));
    const withOverrides = Pricing.load(dir);
    expect(costOf(withOverrides, 'system.openai', 'gpt-4o-2024-08-06', { text: { input: 1e6, output: 1e6 } }, at)).toEqual({ input: 1, output: 2, total: 3, priceVersion: 'override:acme-2025', unknownUnits: {} });
    expect(costOf(withOverrides, 'system.openai', 'in-house-model', { text: { input: 1e6 } }, at).total).toBe(3);
    // models the file does not list still come from the data
    expect(costOf(withOverrides, 'system.openai', 'gpt-4o-mini', { text: { input: 1e6 } }, at).priceVersion).toBe(VERSION);
  });

  test('the collector uses the override folder given as pricesDir', async () => {
    fs.writeFileSync(path.join(dir, 'openai.json'), JSON.stringify(negotiated));
    const c = await startTestCollector({ pricesDir: dir });
    try {
      const r = await call(c.url, 'POST', '/api/v1/ingest', event({ resource: 'gpt-4o', units: { text: { input: 1e6, output: 1e6 } } }));
      expect(r.body.xproxy_result.cost.total.base).toBe(3);
    } finally {
      await c.close();
    }
  });

  test('a broken price file is a PayiConfigError naming the file and the value', () => {
    fs.writeFileSync(path.join(dir, 'x.json'), JSON.stringify({ category: 'system.x', versions: [{ version: 'v', effective_date: '2025-1-1', resources: {} }] }));
    expect(() => PriceTable.load(dir)).toThrow(PayiConfigError);
    expect(() => PriceTable.load(dir)).toThrow(`effective_date of v (expected YYYY-MM-DD) is "2025-1-1"`);
    expect(() => PriceTable.load(path.join(dir, 'missing'))).toThrow(/pricesDir ".*missing" does not exist/);
  });
});
