import Anthropic from '@anthropic-ai/sdk';
import { anthropicRoute } from '../../../samples/standin/anthropic';
import { startStandin, type Standin } from '../../../samples/standin/server';
import type { PayiLogger } from '../../../src/internal/logger';
import pino from 'pino';
import { payiInstrument, shutdown } from '../../../src/instrument';
import { CaptureClient } from '../../support/capture-client';

export { CaptureClient } from '../../support/capture-client';

/** A capture client for `payiInstrument({ payi })`: events land in `events`, in order. */
export function captureClient(): CaptureClient {
  return new CaptureClient();
}

/** A logger that keeps its messages (for asserting that adapter faults were logged). */
export function memoryLogger(): PayiLogger & { lines: { level: string; args: unknown[] }[] } {
  const lines: { level: string; args: unknown[] }[] = [];
  const at = (level: string) => (...args: unknown[]) => void lines.push({ level, args });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** A stand-in serving the Anthropic route, and a real `Anthropic` client pointed at it (no retries). */
export async function anthropicStandin(): Promise<{ standin: Standin; client: (opts?: ConstructorParameters<typeof Anthropic>[0]) => Anthropic }> {
  const standin = await startStandin([anthropicRoute]);
  return { standin, client: (opts = {}) => new Anthropic({ apiKey: 'sk-ant-test', baseURL: standin.url, maxRetries: 0, ...opts }) };
}

/** The fields every event has whose values depend on the clock. */
export const timing = { event_timestamp: expect.any(String), end_to_end_latency_ms: expect.any(Number) };

/** The provider's response headers as the event carries them (without `transfer-encoding` and `content-*`). */
export function responseHeaderPairs(headers: Headers): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  headers.forEach((value, name) => {
    if (!/^(transfer-encoding|content-.*)$/i.test(name)) out.push({ name, value });
  });
  return out;
}

/** Ids differ between two calls to the stand-in; everything else must not. */
export const sameButIds = (x: unknown): unknown => JSON.parse(JSON.stringify(x).replace(/(msg|toolu|srvtoolu|req)_standin_\d+/g, '$1_ID'));

/** What {@link anthropicHarness} gives each test. */
export interface AnthropicHarness {
  /** The stand-in of this test file. */
  readonly standin: Standin;
  /** Makes a real `Anthropic` client pointed at the stand-in. */
  makeClient(opts?: ConstructorParameters<typeof Anthropic>[0]): Anthropic;
  /** A fresh capture client for each test, already given to `payiInstrument()`. */
  readonly capture: CaptureClient;
}

/**
 * Registers the hooks an Anthropic test file needs: one stand-in for the file, and for each test a
 * fresh capture client with `payiInstrument()` sending to it (no global use case), `shutdown()` after.
 *
 * @example
 * ```ts
 * const h = anthropicHarness();
 * test('...', async () => { await h.makeClient().messages.create(body); await flush(); expect(h.capture.events)... });
 * ```
 */
export function anthropicHarness(): AnthropicHarness {
  let standin: Standin | undefined;
  let client: ((opts?: ConstructorParameters<typeof Anthropic>[0]) => Anthropic) | undefined;
  let capture: CaptureClient | undefined;
  beforeAll(async () => {
    ({ standin, client } = await anthropicStandin());
  });
  afterAll(() => standin?.close());
  beforeEach(() => {
    capture = captureClient();
    payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null });
  });
  afterEach(() => shutdown());
  return {
    get standin() {
      return standin!;
    },
    makeClient: (opts) => client!(opts),
    get capture() {
      return capture!;
    },
  };
}
