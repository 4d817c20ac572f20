import pino from 'pino';
import { flush, payiInstrument, shutdown } from '../../src/instrument';
import type { PayiInstrumentOptions } from '../../src/options/types';
import type { PayiEvent } from '../../src/events/types';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { CaptureClient } from '../support/capture-client';

/** A stand-in (OpenAI + Anthropic), a capturing ingest client and `payiInstrument()` for one test. */
export interface FrameworkHarness {
  standin: Standin;
  capture: CaptureClient;
  /** Flushes delivery and returns every event captured so far. */
  events(): Promise<PayiEvent[]>;
  close(): Promise<void>;
}

/** Starts the stand-in and instruments with a capture client (silent logger, short flush interval). */
export async function startHarness(options: PayiInstrumentOptions = {}): Promise<FrameworkHarness> {
  const standin = await startStandin([openaiRoute, anthropicRoute]);
  const capture = new CaptureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: 'framework_tests', ingest: { flushIntervalMs: 5, spillFile: false }, ...options });
  return {
    standin,
    capture,
    events: async () => {
      await flush();
      return capture.events;
    },
    close: async () => {
      await shutdown();
      await standin.close();
    },
  };
}

/** The request bodies the stand-in received on `path` (parsed JSON), oldest first. */
export function bodiesTo(standin: Standin, path: string): any[] {
  return standin.requests.filter((r) => r.url.split('?')[0] === path).map((r) => r.json);
}

/** The attribution every event of the harness carries (the global frame's use case). */
export const globalAttribution = { use_case_name: 'framework_tests', use_case_id: expect.any(String) };

/** The OpenAI stand-in's response headers as events record them (sorted, no content-*). */
export function openaiHeaders(requestId: string, extra: Record<string, string> = {}): { name: string; value: unknown }[] {
  const all: Record<string, unknown> = { connection: 'keep-alive', date: expect.any(String), 'keep-alive': 'timeout=5', 'openai-processing-ms': '1', 'x-request-id': requestId, ...extra };
  return Object.keys(all)
    .sort()
    .map((name) => ({ name, value: all[name] }));
}
