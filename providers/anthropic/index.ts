import { loadModuleCopies } from '../shared/resolve-module';
import { patchMethod } from '../shared/patch';
import type { InstrumentationHub, ProviderAdapter, Unpatch } from '../types';
import { makeCreateWrapper } from './adapter';
import { safeLogger } from '../../src/internal/logger';

export { anthropicUnits, LARGE_CONTEXT_THRESHOLD } from './units';

/** The npm package this adapter patches, and the versions it supports. */
export const ANTHROPIC_PACKAGE = '@anthropic-ai/sdk';
/** Supported `@anthropic-ai/sdk` versions (also in docs/providers.md). */
export const ANTHROPIC_SUPPORTED_VERSIONS = '>=0.60.0 <2';

/**
 * The `Messages` prototypes reachable from one copy of the SDK (its exports, or the `Anthropic`
 * class handed over in `modules.anthropic`): `Anthropic.Messages` and `Anthropic.Beta.Messages`.
 */
export function anthropicMessagesPrototypes(exports: unknown): object[] {
  const out = new Set<object>();
  const rec = (exports ?? {}) as Record<string, any>;
  const classes = [exports, rec.Anthropic, rec.default, rec.default?.Anthropic];
  for (const C of classes) {
    if (!C || (typeof C !== 'function' && typeof C !== 'object')) continue;
    for (const M of [C.Messages, C.Beta?.Messages]) {
      if (typeof M === 'function' && M.prototype && typeof M.prototype.create === 'function') out.add(M.prototype);
    }
  }
  return [...out];
}

/**
 * Patches `messages.create` (which `messages.stream()` and `messages.parse()` call) of every copy
 * of `@anthropic-ai/sdk` it can reach (CommonJS, ESM, `modules.anthropic`), standard and beta, so
 * clients created before or after `payiInstrument()` are instrumented. Returns the undo, or
 * `undefined` when the SDK is not installed.
 *
 * @example
 * ```ts
 * const undo = instrumentAnthropic(hub);
 * undo?.();
 * ```
 */
export function instrumentAnthropic(hub: InstrumentationHub): Unpatch | undefined {
  const logger = safeLogger(hub.logger);
  const copies = loadModuleCopies(ANTHROPIC_PACKAGE, { given: hub.settings.modules.anthropic, logger });
  if (copies.length === 0) return undefined;
  const undos: Unpatch[] = [];
  for (const copy of copies) {
    for (const proto of anthropicMessagesPrototypes(copy.exports)) {
      const undo = patchMethod(proto, 'create', (original) => makeCreateWrapper(original, hub, copy.exports.APIPromise));
      if (undo) undos.push(undo);
    }
  }
  if (undos.length === 0) logger.debug('payi: @anthropic-ai/sdk found, but no Messages class to patch');
  return () => {
    for (const undo of undos.reverse()) undo();
  };
}

/**
 * The Anthropic provider adapter (category `system.anthropic`, resource = the model), registered in
 * `providers/registry.ts`. Instruments `messages.create` (streaming or not), `messages.stream()`
 * and `messages.parse()`, and the same on `beta.messages`.
 *
 * @example
 * ```ts
 * import { anthropicAdapter } from './providers/anthropic';
 * const undo = anthropicAdapter.instrument(hub);
 * ```
 */
export const anthropicAdapter: ProviderAdapter = {
  instrumentNames: ['anthropic'],
  packageName: ANTHROPIC_PACKAGE,
  supportedVersions: ANTHROPIC_SUPPORTED_VERSIONS,
  instrument: instrumentAnthropic,
};
