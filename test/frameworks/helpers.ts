import { createOpenAI } from '@ai-sdk/openai';
import type { generateText } from 'ai';
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

/** Ids the stand-in numbers per process (chatcmpl-standin-3, req_standin_4) made comparable across two runs. */
export const sameButIds = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Date ? 'date' : x)).replace(/(standin[-_])\d+/g, '$1N').replace(/"date":"[^"]*"/g, '"date":"D"'));

/** What an application reads of a generateText result (timings and generated call ids aside). */
export const visible = (r: Awaited<ReturnType<typeof generateText>>): unknown => ({
  text: r.text,
  content: r.content,
  finishReason: r.finishReason,
  usage: r.usage,
  totalUsage: r.totalUsage,
  warnings: r.warnings,
  providerMetadata: r.providerMetadata,
  response: { id: r.response.id, modelId: r.response.modelId, headers: { ...r.response.headers, date: 'D' }, messages: r.response.messages },
  steps: r.steps.length,
});

/** What the same AI SDK call returns from a fresh stand-in with no instrumentation at all. */
export async function uninstrumented<T>(run: (p: ReturnType<typeof createOpenAI>) => Promise<T>): Promise<T> {
  const standin = await startStandin([openaiRoute, anthropicRoute]);
  const saved = (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS;
  (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS = [];
  try {
    return await run(createOpenAI({ apiKey: 'test-key', baseURL: `${standin.url}/v1` }));
  } finally {
    (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS = saved;
    await standin.close();
  }
}
