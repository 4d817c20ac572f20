import type { PayiLogger } from '../src/internal/logger';
import type { Settings } from '../src/options/types';
import type { CallRecorder } from './shared/recorder';

/** What an adapter gets from `payiInstrument()`: settings, the logger, and calls to record. */
export interface InstrumentationHub {
  readonly settings: Settings;
  readonly logger: PayiLogger;
  /**
   * Starts recording one provider call of `category`, with the call's per-call headers, or returns
   * `undefined` when the call is not to be instrumented (no frame and no global instrumentation).
   */
  beginCall(category: string, callHeaders: unknown): CallRecorder | undefined;
}

/** Undoes what an adapter patched. */
export type Unpatch = () => void;

/**
 * A provider adapter: which SDK it patches and how. Registered in `providers/registry.ts`.
 */
export interface ProviderAdapter {
  /** The `instruments` names that enable it (e.g. `['openai', 'azureopenai']`). */
  readonly instrumentNames: readonly ('openai' | 'azureopenai' | 'anthropic' | 'bedrock')[];
  /** The npm package it patches. */
  readonly packageName: string;
  /** The supported version range of that package (also in docs/providers.md). */
  readonly supportedVersions: string;
  /**
   * Patches every copy of the SDK it can reach (CommonJS and ESM builds, or `settings.modules`),
   * and returns how to undo it; `undefined` when the SDK is not installed.
   */
  instrument(hub: InstrumentationHub): Unpatch | undefined;
}
