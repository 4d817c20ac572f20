import OpenAI, { AzureOpenAI } from 'openai';
import pino from 'pino';
import { flush, payiInstrument, shutdown } from '../../../src/instrument';
import type { PayiInstrumentOptions } from '../../../src/options/types';
import type { PayiEvent } from '../../../src/events/types';
import { openaiRoute } from '../../../samples/standin/openai';
import { startStandin, type Standin } from '../../../samples/standin/server';
import { CaptureClient } from '../../support/capture-client';

/** A stand-in, a capturing ingest client and `payiInstrument()` for one test. */
export interface OpenAIHarness {
  standin: Standin;
  capture: CaptureClient;
  client: OpenAI;
  /** Flushes delivery and returns every event captured so far. */
  events(): Promise<PayiEvent[]>;
  close(): Promise<void>;
}

/** Starts the stand-in and instruments with a capture client (silent logger, short flush interval). */
export async function startHarness(options: PayiInstrumentOptions = {}): Promise<OpenAIHarness> {
  const standin = await startStandin([openaiRoute]);
  const capture = new CaptureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: 'openai_tests', ingest: { flushIntervalMs: 5, spillFile: false }, ...options });
  const client = new OpenAI({ apiKey: 'test-key', baseURL: `${standin.url}/v1`, maxRetries: 0 });
  return {
    standin,
    capture,
    client,
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

/** An Azure OpenAI client for the stand-in. */
export function azureClient(standin: Standin, deployment?: string): AzureOpenAI {
  return new AzureOpenAI({ apiKey: 'azure-key', endpoint: standin.url, apiVersion: '2024-10-21', maxRetries: 0, ...(deployment ? { deployment } : {}) });
}

/** The response headers the stand-in sends (as events record them: sorted, no content-*). */
export function standinHeaders(requestId: string, extra: Record<string, string> = {}): { name: string; value: unknown }[] {
  const all: Record<string, unknown> = { connection: 'keep-alive', date: expect.any(String), 'keep-alive': 'timeout=5', 'openai-processing-ms': '1', 'x-request-id': requestId, ...extra };
  return Object.keys(all)
    .sort()
    .map((name) => ({ name, value: all[name] }));
}

/** The attribution every event of the harness carries (the global frame's use case). */
export const globalAttribution = { use_case_name: 'openai_tests', use_case_id: expect.any(String) };
