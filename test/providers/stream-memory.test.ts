/**
 * A stream the caller keeps after reading it must not keep its chunks alive through the
 * instrumentation: the raw SDK's `Stream` holds none of them once read, and the instrumented one
 * (its accumulator, the recorder, the body tap) lets go of them when the call's event is built.
 * Real clients over HTTP against the stand-in; the garbage collector is run for real.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pino from 'pino';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { flush, payiInstrument, shutdown } from '../../src/instrument';
import { CaptureClient } from '../support/capture-client';
import { aliveAfterGc, readWeakly } from '../support/weak-items';

let standin: Standin;
let capture: CaptureClient;
beforeAll(async () => {
  standin = await startStandin([openaiRoute, anthropicRoute]);
});
afterAll(async () => {
  await standin.close();
});
beforeEach(() => {
  capture = new CaptureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), ingest: { flushIntervalMs: 5, spillFile: false } });
});
afterEach(async () => {
  await shutdown();
});

/** Reads `stream` to its end, checks its one event logged the response (`marker` in it), and returns how many items outlive a collection. */
async function aliveOnceRecorded(stream: AsyncIterable<unknown>, marker: string): Promise<number> {
  const refs = await readWeakly(stream);
  await flush();
  expect(capture.events).toHaveLength(1);
  expect(capture.events[0]!.provider_response_json).toContain(marker);
  expect(refs.length).toBeGreaterThan(2);
  return aliveAfterGc(refs);
}

test('openai: a chat stream kept by the caller does not keep its chunks once read and recorded', async () => {
  const client = new OpenAI({ apiKey: 'test-key', baseURL: `${standin.url}/v1`, maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a story' }], stream: true });
  expect(await aliveOnceRecorded(stream, 'chat.completion.chunk')).toBe(0);
  expect(stream.controller.signal.aborted).toBe(false); // the stream itself is still held here
});

test('anthropic: a message stream kept by the caller does not keep its events once read and recorded', async () => {
  const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: standin.url, maxRetries: 0 });
  const stream = await client.messages.create({ model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Tell me a story' }], stream: true });
  expect(await aliveOnceRecorded(stream, 'message_start')).toBe(0);
  expect(stream.controller.signal.aborted).toBe(false);
});
