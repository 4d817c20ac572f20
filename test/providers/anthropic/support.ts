import Anthropic from '@anthropic-ai/sdk';
import { anthropicRoute } from '../../../samples/standin/anthropic';
import { startStandin, type Standin } from '../../../samples/standin/server';
import type { PayiLogger } from '../../../src/internal/logger';
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
