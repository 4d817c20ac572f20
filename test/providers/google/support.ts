import '../../support/undici-global';
import { GoogleGenAI, type GoogleGenAIOptions } from '@google/genai';
import pino from 'pino';
import { geminiRoute } from '../../../samples/standin/gemini';
import { startStandin, type Standin } from '../../../samples/standin/server';
import { payiInstrument, shutdown } from '../../../src/instrument';
import { CaptureClient } from '../../support/capture-client';

export { CaptureClient } from '../../support/capture-client';

/** What {@link googleHarness} gives each test. */
export interface GoogleHarness {
  readonly standin: Standin;
  /** A real Gemini API client pointed at the stand-in. */
  gemini(opts?: Partial<GoogleGenAIOptions>): GoogleGenAI;
  /** A real Vertex AI client (`vertexai: true`, express mode with an API key) pointed at the stand-in. */
  vertex(opts?: Partial<GoogleGenAIOptions>): GoogleGenAI;
  /** A fresh capture client for each test, already given to `payiInstrument()`. */
  readonly capture: CaptureClient;
}

/**
 * One Gemini stand-in per test file; per test a capture client with `payiInstrument()` sending to
 * it (no global use case), `shutdown()` after.
 *
 * @example
 * ```ts
 * const h = googleHarness();
 * test('...', async () => { await h.gemini().models.generateContent({ model, contents }); await shutdown(); h.capture.events; });
 * ```
 */
export function googleHarness(): GoogleHarness {
  let standin: Standin | undefined;
  let capture: CaptureClient | undefined;
  beforeAll(async () => {
    standin = await startStandin([geminiRoute]);
  });
  afterAll(() => standin?.close());
  beforeEach(() => {
    capture = new CaptureClient();
    standin!.requests.length = 0;
    payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null });
  });
  afterEach(() => shutdown());
  return {
    get standin() {
      return standin!;
    },
    gemini: (opts = {}) => new GoogleGenAI({ apiKey: 'gm-test-key', httpOptions: { baseUrl: standin!.url }, ...opts }),
    vertex: (opts = {}) => new GoogleGenAI({ vertexai: true, apiKey: 'vx-test-key', httpOptions: { baseUrl: standin!.url }, ...opts }),
    get capture() {
      return capture!;
    },
  };
}

/** The fields every event has whose values depend on the clock. */
export const timing = { event_timestamp: expect.any(String), end_to_end_latency_ms: expect.any(Number) };

/** The response headers as an event carries them (the SDK's `sdkHttpResponse.headers`, without `transfer-encoding` and `content-*`). */
export function headerPairs(headers: Record<string, string> | undefined): { name: string; value: string }[] {
  return Object.entries(headers ?? {})
    .filter(([name]) => !/^(transfer-encoding|content-.*)$/i.test(name))
    .map(([name, value]) => ({ name, value }));
}

/** Ids and dates differ between two calls to the stand-in; everything else must not. */
export const sameButIds = (x: unknown): unknown => JSON.parse(JSON.stringify(x).replace(/gm_standin_\d+/g, 'gm_ID').replace(/"date":"[^"]*"/g, '"date":"D"'));
