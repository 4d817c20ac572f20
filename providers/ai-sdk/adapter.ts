import type { InstrumentationHub, Unpatch } from '../../src/recording/types';
import { createPayiTelemetry, PAYI_TELEMETRY_NAME } from './integration';

type Registry = { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

/**
 * Registers the payi telemetry integration with the Vercel AI SDK the way `registerTelemetry()`
 * of `ai` 7 does: it appends to `globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`, which every copy of
 * `ai` 7 reads (CommonJS or ESM, however many are installed), so nothing has to be loaded or
 * patched. Returns how to remove it again.
 *
 * @example
 * ```ts
 * const undo = registerAiSdkTelemetry(hub);
 * undo();
 * ```
 */
export function registerAiSdkTelemetry(hub: InstrumentationHub): Unpatch {
  const g = globalThis as Registry;
  const integration = createPayiTelemetry(hub);
  (g.AI_SDK_TELEMETRY_INTEGRATIONS ??= []).push(integration);
  return () => {
    const list = g.AI_SDK_TELEMETRY_INTEGRATIONS;
    const at = list?.indexOf(integration) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
  };
}

/** True when `value` is the integration {@link registerAiSdkTelemetry} registers. */
export function isPayiTelemetry(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === PAYI_TELEMETRY_NAME;
}
