import type { PayiLogger } from '../internal/logger';
import type { Settings } from '../options/types';
import type { CallRecorder } from './recorder';

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
 * A provider adapter (the `adapter` export of `providers/<id>/index.ts`): one entry point that
 * patches every copy of its SDK it can reach and returns how to undo it, or `undefined` when the
 * SDK is not installed. Which clients it records is read from `hub.settings.instruments`.
 */
export interface ProviderAdapter {
  patch(hub: InstrumentationHub): Unpatch | undefined;
}

/** One client a catalogue entry instruments: its `instruments` name and the category its events carry. */
export interface CatalogueInstrument {
  /** The short name accepted by `instruments` (e.g. `'azureopenai'`). */
  readonly name: string;
  /** The category of its events (also accepted by `instruments`). */
  readonly category: string;
  /** The key of that category in `PayiCategories`. */
  readonly categoryKey: string;
  /** What it is, for the docs table (e.g. `'Azure OpenAI'`). */
  readonly label: string;
  /** The client class, and its package when it is not the entry's (for the docs table). */
  readonly client: string;
}

/**
 * One provider folder in `providers/registry.ts`: everything the rest of the code needs to know
 * about it, in one place. The adapter and units modules are loaded lazily (a missing optional SDK
 * costs nothing, and the catalogue imports nothing at load time).
 */
export interface CatalogueEntry {
  /** The folder under `providers/`. */
  readonly id: string;
  /** The npm package the adapter patches. */
  readonly packageName: string;
  /** The package versions the adapter supports (the peer dependency range). */
  readonly supportedVersions: string;
  /** The key of the `modules` option that hands the SDK over (bundlers). */
  readonly moduleKey: string;
  /** The clients it instruments. */
  readonly instruments: readonly CatalogueInstrument[];
  /** Loads the adapter. */
  readonly load: () => ProviderAdapter;
  /** Loads the pure units module (`providers/<id>/units.ts`, used by the collector's proxy as well). */
  readonly units: () => Record<string, unknown>;
}
