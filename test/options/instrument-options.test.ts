/**
 * payiInstrument() options as a user meets them (contract §2): every invalid option is a
 * PayiConfigError that names the option, the value and what was expected; a second call is a
 * no-op logged at debug; shutdown() before payiInstrument() resolves.
 */
import pino from 'pino';
import { getContext } from '../../src/context/scope';
import { PayiConfigError } from '../../src/errors';
import { payiInstrument, shutdown } from '../../src/instrument';
import type { PayiInstrumentOptions } from '../../src/options/types';
import { collectingLogger } from '../context/support';

const silent = pino({ level: 'silent' });
afterEach(async () => {
  await shutdown();
});

/** Calls payiInstrument and returns the PayiConfigError it throws (fails the test if it does not throw one). */
function configError(options: unknown): PayiConfigError {
  try {
    payiInstrument({ logger: silent, ...(options as PayiInstrumentOptions) });
  } catch (err) {
    expect(err).toBeInstanceOf(PayiConfigError);
    return err as PayiConfigError;
  }
  throw new Error(`payiInstrument(${JSON.stringify(options)}) did not throw`);
}

// [what is wrong, options, option named, value shown in the message, what was expected]
const invalid: [string, unknown, string, string, RegExp][] = [
  ['unknown option', { apikey: 'k' }, 'apikey', '"k"', /is not an option; expected a known option \(apiKey, baseUrl/],
  ['unknown instrument name', { instruments: ['opnai'] }, 'instruments', '"opnai"', /expected one of openai, azureopenai, anthropic, .*bedrock.*, system\.openai.* or '\*'/],
  ['instruments not an array', { instruments: 'openai' }, 'instruments', '"openai"', /expected an array of openai/],
  ['apiKey of the wrong type', { apiKey: 123 }, 'apiKey', '123', /expected a non-empty string/],
  ['empty apiKey', { apiKey: '' }, 'apiKey', '""', /expected a non-empty string/],
  ['malformed URL', { baseUrl: 'not a url' }, 'baseUrl', '"not a url"', /expected an http\(s\) URL such as https:\/\/api\.pay-i\.com/],
  ['URL with a non-http scheme', { baseUrl: 'ftp://example.com' }, 'baseUrl', '"ftp://example.com"', /expected an http\(s\) URL/],
  ['proxy not a boolean', { proxy: 'yes' }, 'proxy', '"yes"', /expected true or false/],
  ['globalInstrumentation not a boolean', { globalInstrumentation: 'false' }, 'globalInstrumentation', '"false"', /expected true or false/],
  ['logPromptAndResponse not a boolean', { logPromptAndResponse: 1 }, 'logPromptAndResponse', '1', /expected true or false/],
  ['enforceLimits not a boolean', { enforceLimits: 'on' }, 'enforceLimits', '"on"', /expected true or false/],
  ['use case name with a space', { useCaseName: 'my app' }, 'useCaseName', '"my app"', /has a space; use 1-64 of A-Z a-z 0-9 \. - _/],
  ['use case name too long', { useCaseName: 'a'.repeat(65) }, 'useCaseName', `"${'a'.repeat(65)}"`, /is 65 characters long; use 1-64/],
  ['use case name with a bad character', { useCaseName: 'chat/bot' }, 'useCaseName', '"chat/bot"', /has the character "\/"/],
  ['negative use case version', { useCaseVersion: -1 }, 'useCaseVersion', '-1', /is not a whole number >= 0/],
  ['limitIds not an array', { limitIds: 'daily' }, 'limitIds', '"daily"', /expected an array of strings/],
  ['limit id with a comma', { limitIds: ['a,b'] }, 'limitIds', 'has the entry "a,b"', /expected non-empty strings without commas/],
  ['userId of the wrong type', { userId: 7 }, 'userId', '7', /is a number; expected a string/],
  ['requestProperties not an object', { requestProperties: 'x=1' }, 'requestProperties', '"x=1"', /expected \{ key: value \}/],
  ['negative flush interval', { ingest: { flushIntervalMs: -1 } }, 'ingest.flushIntervalMs', '-1', /expected a whole number >= 0/],
  ['fractional batch size', { ingest: { maxBatchSize: 1.5 } }, 'ingest.maxBatchSize', '1.5', /expected a whole number >= 1/],
  ['zero queue size', { ingest: { maxQueueSize: 0 } }, 'ingest.maxQueueSize', '0', /expected a whole number >= 1/],
  ['negative retry window', { ingest: { maxRetryMs: -5 } }, 'ingest.maxRetryMs', '-5', /expected a whole number >= 0/],
  ['interval as a string', { ingest: { connectionErrorLogWindowMs: '60s' } }, 'ingest.connectionErrorLogWindowMs', '"60s"', /expected a whole number >= 0/],
  ['unknown ingest mode', { ingest: { mode: 'stream' } }, 'ingest.mode', '"stream"', /expected 'batched' or 'inline'/],
  ['unknown ingest option', { ingest: { batchSize: 10 } }, 'ingest.batchSize', '10', /is not an option; expected a known ingest option/],
  ['ingest not an object', { ingest: 5 }, 'ingest', '5', /expected an object such as \{ maxBatchSize: 100 \}/],
  ['onError not a function', { ingest: { onError: 'log' } }, 'ingest.onError', '"log"', /expected a function/],
  ['offline without a file', { offline: {} }, 'offline', '{}', /expected \{ file: '.\/events.jsonl' \}/],
  ['logger without the four methods', { logger: { log: () => undefined } }, 'logger', '{}', /expected an object with error, warn, info and debug methods/],
  ['payi that is not a client', { payi: { ingest: {} } }, 'payi', '{"ingest":{}}', /expected a Payi client/],
  ['modules not an object', { modules: 'openai' }, 'modules', '"openai"', /expected an object such as \{ openai: OpenAI \}/],
  ['promptAndResponseLogger not a function', { promptAndResponseLogger: true }, 'promptAndResponseLogger', 'true', /expected a function/],
];

describe('invalid options throw PayiConfigError naming the option, the value and what was expected', () => {
  test.each(invalid)('%s', (_what, options, option, shown, expected) => {
    const err = configError(options);
    expect(err.option).toBe(option);
    expect(err.code).toBe('invalid_option');
    expect(err.message).toContain(`payiInstrument: ${option} ${shown}`);
    expect(err.message).toMatch(expected);
  });

  test('the error keeps the value that was given, not a description of it', () => {
    const logger = { log: () => undefined };
    expect(configError({ logger }).value).toBe(logger);
    expect(configError({ instruments: ['openai', 'opnai'] }).value).toBe('opnai');
  });

  test('options that are not an object are rejected', () => {
    expect(() => payiInstrument('key' as never)).toThrow(/payiInstrument: options "key" is invalid; expected an object/);
  });

  test('a malformed PAYI_BASE_URL is reported as coming from the environment', () => {
    const saved = process.env.PAYI_BASE_URL;
    process.env.PAYI_BASE_URL = 'api.pay-i.com';
    try {
      const err = configError({});
      expect(err.message).toContain('baseUrl (from PAYI_BASE_URL) "api.pay-i.com"');
    } finally {
      if (saved === undefined) delete process.env.PAYI_BASE_URL;
      else process.env.PAYI_BASE_URL = saved;
    }
  });

  test('after an invalid call nothing is left half-started: a valid call then works', () => {
    configError({ useCaseName: 'bad name' });
    expect(getContext()).toEqual({});
    payiInstrument({ useCaseName: 'good_name', logger: silent });
    expect(getContext().useCaseName).toBe('good_name');
  });
});

describe('valid options are accepted', () => {
  test('instrument names may be short names, categories or "*"', () => {
    expect(() => payiInstrument({ instruments: ['openai', 'system.anthropic', 'system.aws.bedrock', 'azureopenai'], logger: silent })).not.toThrow();
  });

  test('every option at once, with the values the contract documents', () => {
    expect(() =>
      payiInstrument({
        apiKey: 'sk-test',
        baseUrl: 'http://127.0.0.1:7480/',
        proxy: false,
        globalInstrumentation: true,
        useCaseName: 'my_app',
        useCaseId: 'run-1',
        useCaseVersion: 2,
        useCaseStep: 'start',
        useCaseProperties: { tier: 'gold' },
        limitIds: ['monthly'],
        requestTags: ['web'],
        userId: 'u1',
        accountName: 'acme',
        requestProperties: { env: 'test', n: 1, ok: true, none: null },
        instruments: ['*'],
        modules: {},
        logPromptAndResponse: false,
        logger: silent,
        promptAndResponseLogger: () => undefined,
        ingest: { mode: 'batched', maxBatchSize: 10, flushIntervalMs: 0, spillFile: false, handleSignals: false, onError: () => undefined },
        enforceLimits: true,
      }),
    ).not.toThrow();
    expect(getContext()).toMatchObject({ useCaseName: 'my_app', useCaseId: 'run-1', useCaseVersion: 2, useCaseStep: 'start', limitIds: ['monthly'] });
  });
});

describe('lifecycle', () => {
  test('a second payiInstrument() call is a no-op; with other options it warns, naming them (issue 11 item 7)', () => {
    const log = collectingLogger();
    payiInstrument({ useCaseName: 'first', logger: log.logger });
    payiInstrument({ useCaseName: 'second', logger: silent });
    expect(getContext().useCaseName).toBe('first');
    const again = log.lines.filter((l) => l.msg.includes('payiInstrument() called again'));
    expect(again).toEqual([{ level: 'warn', msg: expect.stringContaining('ignored: useCaseName, logger (call shutdown() first to re-initialise)') }]);
  });

  test('shutdown() before any payiInstrument() resolves and does nothing', async () => {
    await expect(shutdown()).resolves.toBeUndefined();
    await expect(shutdown({ timeoutMs: 0 })).resolves.toBeUndefined();
  });

  test('after shutdown(), payiInstrument() initialises again with the new options', async () => {
    payiInstrument({ useCaseName: 'first', logger: silent });
    await shutdown();
    payiInstrument({ useCaseName: 'second', logger: silent });
    expect(getContext().useCaseName).toBe('second');
  });
});
