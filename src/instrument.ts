import { resetScopeWarnings } from './context/scope';
import { mergeFrame } from './context/merge';
import { currentFrame, setGlobalFrame } from './context/store';
import { recordedByFramework } from './context/suppress';
import { createDelivery } from './delivery';
import type { Delivery, IngestStats } from './delivery/types';
import { setExtraRedactions } from './events/redact';
import { safeLogger, setLogger } from './internal/logger';
import { LimitStateStore } from './limits/store';
import { createBridge } from './otel/bridge';
import { differingOptions } from './options/diff';
import { resolveOptions } from './options/resolve';
import type { PayiInstrumentOptions, Settings } from './options/types';
import { PROVIDER_CATALOGUE } from './recording/catalogue';
import { CallRecorder, type RecorderDeps } from './recording/recorder';
import type { CatalogueEntry, InstrumentationHub, Unpatch } from './recording/types';

interface Runtime {
  /** The options of the call that started it (to name what a second call would have changed). */
  options: PayiInstrumentOptions;
  settings: Settings;
  delivery: Delivery;
  limits: LimitStateStore;
  unpatches: Unpatch[];
  /** What adapters record calls through (also used by `payiMiddleware()`). */
  hub: InstrumentationHub;
}

let runtime: Runtime | undefined;
/** The last delivery shut down: `ingestStats()` reads its counts until the next `payiInstrument()`. */
let lastDelivery: Runtime['delivery'] | undefined;

/** The running instrumentation, if `payiInstrument()` was called (internal). */
export function getRuntime(): Runtime | undefined {
  return runtime;
}

/**
 * Starts the instrumentation (contract §2): validates the options, pushes the outermost frame,
 * patches the provider SDKs that are installed and selected, and starts delivery. Call it once at
 * start-up; a second call is a no-op (call {@link shutdown} first to re-initialise) and, when its
 * options differ from the first call's, logs a warning naming the options that were ignored.
 *
 * @example
 * ```ts
 * import { payiInstrument } from 'payi-instrument';
 * payiInstrument({ useCaseName: 'my_app', ingest: { handleSignals: true } });
 * ```
 */
export function payiInstrument(options: PayiInstrumentOptions = {}): void {
  if (runtime) {
    const ignored = differingOptions(runtime.options, options ?? {});
    if (ignored.length > 0) {
      runtime.settings.logger.warn(`payi: payiInstrument() called again with different options; ignored: ${ignored.join(', ')} (call shutdown() first to re-initialise)`);
    } else {
      runtime.settings.logger.debug('payi: payiInstrument() called again with the same options; ignored');
    }
    return;
  }
  const resolved = resolveOptions(options);
  // a user's logger is called from inside provider calls: it must never be able to break one
  const settings = { ...resolved, logger: safeLogger(resolved.logger) };
  setLogger(settings.logger);
  setExtraRedactions(settings.redactHeaders);
  const limits = new LimitStateStore();
  const delivery = createDelivery(settings, limits);
  setGlobalFrame(settings.globalInstrumentation ? mergeFrame({}, { ...settings.globalScope, proxy: settings.proxy }) : undefined);

  const deps: RecorderDeps = {
    logPromptAndResponse: settings.logPromptAndResponse,
    enforceLimits: settings.enforceLimits,
    inline: settings.ingest.mode === 'inline' && !settings.offline,
    blockedLimits: (ids) => limits.blocked(ids),
    submit: (e) => delivery.submit(e),
    sendInline: (e) => delivery.sendInline(e),
    defer: (task) => delivery.defer(task),
  };
  if (settings.promptAndResponseLogger) deps.promptAndResponseLogger = settings.promptAndResponseLogger;
  const observer = createBridge(settings.otel);
  if (observer) deps.observer = observer;

  const hub: InstrumentationHub = {
    settings,
    logger: settings.logger,
    beginCall(category, callHeaders) {
      const frame = currentFrame();
      // no frame: outside every scope with globalInstrumentation off (no global frame is set then)
      if (!frame) return undefined;
      // a framework integration (the AI SDK's) is already recording this model call
      if (recordedByFramework()) return undefined;
      return new CallRecorder(category, frame, callHeaders, settings.proxy, deps);
    },
  };

  const unpatches: Unpatch[] = [];
  for (const entry of PROVIDER_CATALOGUE as readonly CatalogueEntry[]) {
    try {
      if (!entry.instruments.some((i) => settings.instruments.has(i.name as never))) continue;
      const undo = entry.load().patch(hub);
      if (undo) unpatches.push(undo);
    } catch (err) {
      settings.logger.warn({ err }, 'payi: a provider adapter failed to load; its provider is not instrumented');
    }
  }
  lastDelivery = undefined;
  runtime = { options, settings, delivery, limits, unpatches, hub };
}

/**
 * Flushes delivery (waiting at most `timeoutMs`, then spilling what is left), stops the timers,
 * restores every patched method and removes the outermost frame. Resolves and does nothing when
 * `payiInstrument()` was never called.
 *
 * @example
 * ```ts
 * await shutdown({ timeoutMs: 5000 });
 * ```
 */
export async function shutdown(options: { timeoutMs?: number } = {}): Promise<void> {
  const rt = runtime;
  if (!rt) return;
  runtime = undefined;
  lastDelivery = rt.delivery;
  for (const undo of rt.unpatches.reverse()) {
    try {
      undo();
    } catch (err) {
      rt.settings.logger.warn({ err }, 'payi: restoring a patched provider method failed');
    }
  }
  setGlobalFrame(undefined);
  resetScopeWarnings();
  try {
    await rt.delivery.close(options.timeoutMs ?? rt.settings.ingest.shutdownTimeoutMs);
  } finally {
    setLogger(undefined);
    setExtraRedactions([]);
  }
}

/**
 * Resolves when every event queued so far is delivered or spilled.
 *
 * @example
 * ```ts
 * await flush();
 * ```
 */
export async function flush(): Promise<void> {
  await runtime?.delivery.flush();
}

/**
 * Delivery counters: `{ queued, sent, failed, spilled, retried }` of the primary sink (Pay-i, or the
 * offline file) and `sinks` with every sink's own (all 0 before `payiInstrument()`). After
 * `shutdown()` the final counts stay readable until the next `payiInstrument()`.
 *
 * @example
 * ```ts
 * console.log(ingestStats().spilled);
 * ```
 */
export function ingestStats(): IngestStats {
  return (runtime?.delivery ?? lastDelivery)?.stats() ?? { queued: 0, sent: 0, failed: 0, spilled: 0, retried: 0, sinks: {} };
}

