/**
 * resolveOptions(): defaults applied once, environment fallbacks (contract §2), and the default
 * use case name taken from the entry script.
 */
import pino from 'pino';
import { applicationName, INGEST_DEFAULTS, resolveOptions } from '../../src/options/resolve';
import { PROVIDER_INSTRUMENT_NAMES, instrumentsFor } from '../../src/recording/catalogue';

const silent = pino({ level: 'silent' });

describe('defaults and environment', () => {
  test('with no options and no environment: hosted service, ingest mode, global instrumentation, every provider', () => {
    const s = resolveOptions({ logger: silent }, {});
    expect(s.baseUrl).toBe('https://api.pay-i.com');
    expect(s.apiKey).toBeUndefined();
    expect(s.proxy).toBe(false);
    expect(s.globalInstrumentation).toBe(true);
    expect(s.logPromptAndResponse).toBe(true);
    expect(s.enforceLimits).toBe(false);
    expect([...s.instruments].sort()).toEqual([...PROVIDER_INSTRUMENT_NAMES].sort());
    expect(s.ingest).toEqual({ ...INGEST_DEFAULTS });
    expect(s.ingest).toMatchObject({ mode: 'batched', maxBatchSize: 100, flushIntervalMs: 1000, maxRetryMs: 300_000, maxQueueSize: 10_000 });
  });

  test('PAYI_API_KEY and PAYI_BASE_URL are used when the options leave them out; options win over them', () => {
    const env = { PAYI_API_KEY: 'env-key', PAYI_BASE_URL: 'http://127.0.0.1:7480/' };
    expect(resolveOptions({ logger: silent }, env)).toMatchObject({ apiKey: 'env-key', baseUrl: 'http://127.0.0.1:7480' });
    expect(resolveOptions({ apiKey: 'opt-key', baseUrl: 'https://payi.example.com', logger: silent }, env)).toMatchObject({
      apiKey: 'opt-key',
      baseUrl: 'https://payi.example.com',
    });
  });

  test('blank environment variables count as unset', () => {
    expect(resolveOptions({ logger: silent }, { PAYI_API_KEY: '  ', PAYI_BASE_URL: '' })).toMatchObject({ baseUrl: 'https://api.pay-i.com' });
    expect(resolveOptions({ logger: silent }, { PAYI_API_KEY: '  ' }).apiKey).toBeUndefined();
  });

  test('instrument names map to providers: categories and short names alike, "*" for all', () => {
    // a category selects every catalogue instrument whose events carry it (the AI SDK entry carries system.openai)
    expect([...resolveOptions({ instruments: ['system.openai', 'anthropic'], logger: silent }, {}).instruments].sort()).toEqual([...instrumentsFor('system.openai'), 'anthropic'].sort());
    expect(instrumentsFor('system.openai')).toEqual(expect.arrayContaining(['openai', 'aisdk']));
    expect(resolveOptions({ instruments: ['*'], logger: silent }, {}).instruments.size).toBe(PROVIDER_INSTRUMENT_NAMES.length);
    expect(resolveOptions({ instruments: [], logger: silent }, {}).instruments.size).toBe(0);
  });

  test('ingest settings given are merged over the defaults', () => {
    const s = resolveOptions({ ingest: { maxBatchSize: 5, mode: 'inline' }, logger: silent }, {});
    expect(s.ingest).toMatchObject({ maxBatchSize: 5, mode: 'inline', flushIntervalMs: 1000 });
  });
});

describe('the global frame’s values', () => {
  test('an absent useCaseName defaults to the application name; null means no use case', () => {
    expect(resolveOptions({ logger: silent }, {}).globalScope).toEqual({ useCaseName: applicationName() });
    expect(resolveOptions({ useCaseName: undefined, logger: silent }, {}).globalScope).toEqual({ useCaseName: applicationName() });
    expect(resolveOptions({ useCaseName: null, logger: silent }, {}).globalScope).toEqual({ useCaseName: null });
  });

  test('the scope values given to payiInstrument() are kept for the outermost frame', () => {
    const s = resolveOptions({ useCaseName: 'app', limitIds: ['G'], userId: 'gu', accountName: 'acct', requestProperties: { env: 'prod' }, logger: silent }, {});
    expect(s.globalScope).toEqual({ useCaseName: 'app', limitIds: ['G'], userId: 'gu', accountName: 'acct', requestProperties: { env: 'prod' } });
  });
});

describe('applicationName(): the default use case name', () => {
  test.each([
    ['/srv/app/server.js', 'server'],
    ['/srv/app/dist/Chat Bot.mjs', 'chat_bot'],
    ['/srv/app/main', 'main'],
    ['/srv/app/my+app@2.js', 'my_app_2'],
    ['', 'app'],
    ['/x/.hidden', 'app'],
  ])('entry script %s gives use case %s', (entry, expected) => {
    expect(applicationName(entry)).toBe(expected);
  });

  test('the name it makes always passes the use case name rule', () => {
    for (const entry of ['/x/ünïcode name!.js', `/x/${'long'.repeat(30)}.js`, '/x/.hidden', '/x/日本語.ts']) {
      expect(applicationName(entry)).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    }
  });
});
