import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import pino from 'pino';
import { CaptureClient } from '../../support/capture-client';
import { payiInstrument, shutdown } from '../../../src/instrument';
import { bedrockRoute } from '../../../samples/standin/bedrock';
import { startStandin, type Standin } from '../../../samples/standin/server';

/** Model ids of the two families every command is shown with. */
export const CLAUDE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
export const NOVA = 'amazon.nova-lite-v1:0';

/** A silent logger for tests. */
export const silent = pino({ level: 'silent' });

export { CaptureClient } from '../../support/capture-client';

/** A Pay-i client that records every event it is given (bulk and inline). */
export function captureClient(): CaptureClient {
  return new CaptureClient();
}

/** Starts the stand-in with the Bedrock route only. */
export function startBedrockStandin(): Promise<Standin> {
  return startStandin([bedrockRoute]);
}

/**
 * A real `BedrockRuntimeClient` pointed at the stand-in: fake credentials, us-east-1, HTTP/1.1
 * handler (the SDK's default handler speaks HTTP/2, which the stand-in does not), one attempt.
 */
export function bedrockClient(standin: Standin, extra: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: standin.url,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
    ...extra,
  });
}

/** Replaces the stand-in's per-call ids (request ids, message and tool ids) so two runs compare equal. */
export function normalise(value: unknown): unknown {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString('utf8')}` : v));
  return JSON.parse(
    text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/(msg_bdrk_standin_|tooluse_standin_|chatcmpl-standin-)\d+/g, '$1N'),
  );
}

/** Reads a whole async iterable (a Bedrock stream) into an array. */
export async function collect<T>(stream: AsyncIterable<T> | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const e of stream ?? []) out.push(e);
  return out;
}

/** The decoded JSON bodies of invoke-stream `chunk` events. */
export function chunkBodies(events: readonly { chunk?: { bytes?: Uint8Array } }[]): unknown[] {
  return events.map((e) => JSON.parse(Buffer.from(e.chunk?.bytes ?? new Uint8Array()).toString('utf8')));
}

/** The body the stand-in received last, as text. */
export function lastRequestBody(standin: Standin): string {
  return standin.requests[standin.requests.length - 1]!.body.toString('utf8');
}

/** Matchers for the fields that vary from run to run. */
export const anyTiming = { event_timestamp: expect.any(String), end_to_end_latency_ms: expect.any(Number) };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What {@link bedrockHarness} gives each test. */
export interface BedrockHarness {
  /** The stand-in of this test file. */
  readonly standin: Standin;
  /** A fresh Bedrock client for each test (destroyed after it). */
  readonly client: BedrockRuntimeClient;
  /** A fresh capture client for each test. */
  readonly capture: CaptureClient;
  /** `payiInstrument()` sending to `capture`, Bedrock only. */
  instrument(): void;
}

/**
 * Registers the hooks every Bedrock test file needs: one stand-in for the file, a fresh client and
 * capture client per test, `shutdown()` after each test.
 *
 * @example
 * ```ts
 * const h = bedrockHarness();
 * test('...', async () => { h.instrument(); await h.client.send(cmd); await flush(); expect(h.capture.events)... });
 * ```
 */
export function bedrockHarness(): BedrockHarness {
  let standin: Standin | undefined;
  let client: BedrockRuntimeClient | undefined;
  let capture: CaptureClient | undefined;
  beforeAll(async () => {
    standin = await startBedrockStandin();
  });
  afterAll(async () => {
    await standin?.close();
  });
  beforeEach(() => {
    client = bedrockClient(standin!);
    capture = captureClient();
  });
  afterEach(async () => {
    await shutdown();
    client?.destroy();
  });
  return {
    get standin() {
      return standin!;
    },
    get client() {
      return client!;
    },
    get capture() {
      return capture!;
    },
    instrument: () => payiInstrument({ payi: capture!, logger: silent, useCaseName: 'bedrock_tests', instruments: ['bedrock'] }),
  };
}
