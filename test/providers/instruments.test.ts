import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pino from 'pino';
import { PayiCategories, PayiConfigError, flush, payiInstrument, shutdown } from '../../src';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { CaptureClient } from '../support/capture-client';

/** `instruments` chooses the providers: by short name or by category; a typo is an error. */
let standin: Standin;
beforeAll(async () => {
  standin = await startStandin([openaiRoute, anthropicRoute]);
});
afterAll(() => standin.close());
afterEach(() => shutdown());

async function callBoth(): Promise<void> {
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${standin.url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: standin.url, maxRetries: 0 });
  await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
}

test.each([
  ['a category', [PayiCategories.openai]],
  ['a short name', ['openai']],
])('instruments given as %s instruments OpenAI only', async (_how, instruments) => {
  const capture = new CaptureClient();
  payiInstrument({ payi: capture, instruments, logger: pino({ level: 'silent' }) });
  await callBoth();
  await flush();
  expect(capture.events.map((e) => e.category)).toEqual(['system.openai']);
});

test("instruments: ['*'] and the default instrument every installed provider", async () => {
  for (const instruments of [['*'], undefined]) {
    const capture = new CaptureClient();
    payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), ...(instruments ? { instruments } : {}) });
    await callBoth();
    await flush();
    expect(capture.events.map((e) => e.category)).toEqual(['system.openai', 'system.anthropic']);
    await shutdown();
  }
});

test("a misspelt provider ('opnai') throws PayiConfigError naming the valid names, and instruments nothing", async () => {
  let error: unknown;
  try {
    payiInstrument({ instruments: ['opnai'] });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PayiConfigError);
  expect((error as Error).message).toMatch(/instruments "opnai".*openai.*azureopenai.*anthropic.*bedrock/);
  // nothing was started: a later, valid call works
  const capture = new CaptureClient();
  payiInstrument({ payi: capture, instruments: ['anthropic'], logger: pino({ level: 'silent' }) });
  await callBoth();
  await flush();
  expect(capture.events.map((e) => e.category)).toEqual(['system.anthropic']);
});
