import pino from 'pino';
import { trackContext } from '../../../src/context/scope';
import { flush, ingestStats, payiInstrument, shutdown } from '../../../src/instrument';
import type { Settings } from '../../../src/options/types';
import { instrumentAnthropic } from '../../../providers/anthropic';
import type { CallRecorder } from '../../../src/recording/recorder';
import type { InstrumentationHub } from '../../../src/recording/types';
import type { Standin } from '../../../samples/standin/server';
import { anthropicStandin, captureClient, memoryLogger } from './support';

let standin: Standin;
let makeClient: Awaited<ReturnType<typeof anthropicStandin>>['client'];

beforeAll(async () => {
  ({ standin, client: makeClient } = await anthropicStandin());
});
afterAll(() => standin.close());
afterEach(() => shutdown());

const body = { model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello there' }] };

async function drain(stream: AsyncIterable<{ type: string }>): Promise<string[]> {
  const types: string[] = [];
  for await (const e of stream) types.push(e.type);
  return types;
}

test('an ingest service that throws, a throwing promptAndResponseLogger and a throwing logger never change the call', async () => {
  const capture = captureClient();
  capture.ingest.bulk = async () => {
    throw new Error('ingest down');
  };
  const throwing = () => {
    throw new Error('logger broken');
  };
  payiInstrument({
    payi: capture,
    useCaseName: null,
    instruments: ['anthropic'],
    logger: { error: throwing, warn: throwing, info: throwing, debug: throwing },
    promptAndResponseLogger: () => {
      throw new Error('hook broken');
    },
    ingest: { spillFile: false, maxRetryMs: 0 },
  });
  const message = await makeClient().messages.create(body);
  expect(message.content[0]).toEqual({ type: 'text', text: 'Stand-in reply: Hello there' });
  expect(await drain(await makeClient().messages.create({ ...body, stream: true }))).toContain('message_stop');
  await flush();
  expect(ingestStats().sent).toBe(0);
});

test('inline mode with an ingest service that throws still returns the message', async () => {
  const capture = captureClient();
  capture.ingest.units = async () => {
    throw new Error('ingest down');
  };
  payiInstrument({ payi: capture, useCaseName: null, logger: pino({ level: 'silent' }), ingest: { mode: 'inline', spillFile: false, maxRetryMs: 0 } });
  const message = await makeClient().messages.create(body);
  expect(message.id).toMatch(/^msg_standin_/);
  expect((message as unknown as Record<string, unknown>).xproxy_result).toBeUndefined();
});

test('a scope value function that throws is logged and the call goes on', async () => {
  const capture = captureClient();
  const logger = memoryLogger();
  payiInstrument({ payi: capture, useCaseName: null, logger });
  const message = await trackContext(
    {
      userId: () => {
        throw new Error('no user');
      },
    },
    () => makeClient().messages.create(body),
  );
  await shutdown();
  expect(message.id).toMatch(/^msg_standin_/);
  expect(capture.events).toHaveLength(1);
  expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
});

describe('adapter faults', () => {
  const hubWith = (beginCall: InstrumentationHub['beginCall'], logger = memoryLogger()): InstrumentationHub & { logger: ReturnType<typeof memoryLogger> } => ({
    settings: { modules: {}, instruments: new Set(['anthropic']) } as unknown as Settings,
    logger,
    beginCall,
  });
  let undo: (() => void) | undefined;
  afterEach(() => undo?.());

  test('when starting to record throws, the call is made uninstrumented and the fault is logged', async () => {
    const hub = hubWith(() => {
      throw new Error('adapter bug');
    });
    undo = instrumentAnthropic(hub);
    const message = await makeClient().messages.create(body);
    expect(message.content[0]).toEqual({ type: 'text', text: 'Stand-in reply: Hello there' });
    expect(hub.logger.lines.filter((l) => l.level === 'warn')).toEqual([{ level: 'warn', args: [{ err: expect.any(Error) }, expect.stringContaining('not instrumented')] }]);
  });

  test('when every recorder hook throws, messages, streams and MessageStream still reach the caller whole', async () => {
    const broken = () => {
      throw new Error('recorder bug');
    };
    const recorder = { proxy: false, proxyHeaders: broken, assertNotBlocked: () => undefined, markFirstToken: broken, finish: broken } as unknown as CallRecorder;
    undo = instrumentAnthropic(hubWith(() => recorder));
    const message = await makeClient().messages.create(body);
    expect(message.content[0]).toEqual({ type: 'text', text: 'Stand-in reply: Hello there' });
    const types = await drain(await makeClient().messages.create({ ...body, stream: true }));
    expect(types[0]).toBe('message_start');
    expect(types[types.length - 1]).toBe('message_stop');
    const final = await makeClient().messages.stream(body).finalMessage();
    expect(final.content[0]).toEqual({ type: 'text', text: 'Stand-in reply: Hello there' });
  });

  test('the undo restores the original method', async () => {
    const Anthropic = (await import('@anthropic-ai/sdk')).default;
    const before = Anthropic.Messages.prototype.create;
    const u = instrumentAnthropic(hubWith(() => undefined));
    expect(Anthropic.Messages.prototype.create).not.toBe(before);
    u?.();
    expect(Anthropic.Messages.prototype.create).toBe(before);
  });
});
