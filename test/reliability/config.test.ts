/**
 * Issue 11 item 7: a typo in PAYI_LOG_LEVEL is a PayiConfigError naming the variable, the value and
 * the valid levels (not pino's internal Error); a second payiInstrument() with other options warns,
 * naming what was ignored.
 */
import { PayiConfigError } from '../../src/errors';
import { payiInstrument, shutdown } from '../../src/instrument';
import { CaptureClient } from '../support/capture-client';
import { memoryLogger } from '../delivery/helpers';

const saved = process.env.PAYI_LOG_LEVEL;
afterEach(async () => {
  await shutdown();
  if (saved === undefined) delete process.env.PAYI_LOG_LEVEL;
  else process.env.PAYI_LOG_LEVEL = saved;
});

describe('PAYI_LOG_LEVEL', () => {
  test('a typo is a PayiConfigError naming the variable, the value and the valid levels', () => {
    process.env.PAYI_LOG_LEVEL = 'warnn';
    let error: unknown;
    try {
      payiInstrument({ payi: new CaptureClient() });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PayiConfigError);
    expect(error).toMatchObject({
      option: 'PAYI_LOG_LEVEL',
      value: 'warnn',
      message: 'payiInstrument: environment variable PAYI_LOG_LEVEL "warnn" is not a log level; expected one of fatal, error, warn, info, debug, trace, silent',
    });
  });

  test('any case of a valid level is accepted', () => {
    process.env.PAYI_LOG_LEVEL = 'ERROR';
    expect(() => payiInstrument({ payi: new CaptureClient() })).not.toThrow();
  });

  test('with a logger of its own the variable is not used, so it is not checked', () => {
    process.env.PAYI_LOG_LEVEL = 'loud';
    expect(() => payiInstrument({ payi: new CaptureClient(), logger: memoryLogger() })).not.toThrow();
  });
});

describe('a second payiInstrument()', () => {
  test('with different options warns, naming every option that was ignored', () => {
    const logger = memoryLogger();
    const payi = new CaptureClient();
    payiInstrument({ payi, logger, useCaseName: 'first', ingest: { maxBatchSize: 10 } });
    payiInstrument({ payi, logger, useCaseName: 'second', userId: 'u1', ingest: { maxBatchSize: 20, flushIntervalMs: 5 } });
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([
      {
        level: 'warn',
        text: 'payi: payiInstrument() called again with different options; ignored: useCaseName, ingest.maxBatchSize, ingest.flushIntervalMs, userId (call shutdown() first to re-initialise)',
      },
    ]);
  });

  test('with the same options only logs at debug', () => {
    const logger = memoryLogger();
    const payi = new CaptureClient();
    payiInstrument({ payi, logger, useCaseName: 'same' });
    payiInstrument({ payi, logger, useCaseName: 'same' });
    expect(logger.lines.map((l) => l.level)).not.toContain('warn');
    expect(logger.text()).toContain('payiInstrument() called again with the same options; ignored');
  });
});
