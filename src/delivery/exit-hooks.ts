import type { PayiLogger } from '../internal/logger';

/** What the exit hooks call. */
export interface ExitHookTarget {
  /** True while events wait in memory or are being sent. */
  busy(): boolean;
  /** Flushes, waiting at most `shutdownTimeoutMs`; then spills what is left. */
  flushForExit(): Promise<void>;
  /** Synchronously spills every event still in memory (the process is exiting now). */
  spillNow(): void;
}

const SIGNAL_NUMBERS: Record<'SIGTERM' | 'SIGINT', number> = { SIGINT: 2, SIGTERM: 15 };

/**
 * Installs the process hooks of delivery and returns the function that removes them:
 * - `beforeExit` (the event loop is empty; the process is about to end): flushes, so a script that
 *   never calls `flush()` still delivers its events;
 * - `exit`: spills, synchronously, whatever is still in memory (e.g. after `process.exit()`);
 * - with `handleSignals` (the default), `SIGTERM`/`SIGINT` when the application has no listener of
 *   its own: flushes (bounded by `shutdownTimeoutMs`, spilling the rest), spills synchronously
 *   anything submitted meanwhile, then ends the process the way the signal would have (raised
 *   again with our listener removed; exit code 128+n as a fallback). When the application has a
 *   listener (NestJS `enableShutdownHooks`, a server's graceful close), this hook does nothing:
 *   the application decides, and `beforeExit`/`exit` still deliver or spill what is left. A
 *   second signal while flushing spills at once and ends the process.
 *
 * @example
 * ```ts
 * const remove = installExitHooks(target, { handleSignals: true, logger });
 * remove();
 * ```
 */
export function installExitHooks(target: ExitHookTarget, options: { handleSignals: boolean; logger: PayiLogger }): () => void {
  let flushing = false;
  const onBeforeExit = (): void => {
    if (flushing || !target.busy()) return;
    flushing = true;
    void target.flushForExit().finally(() => {
      flushing = false;
    });
  };
  const onExit = (): void => {
    if (target.busy()) target.spillNow();
  };
  const signalHandlers = new Map<NodeJS.Signals, () => void>();
  const remove = (): void => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
    signalHandlers.clear();
  };
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      let received = false;
      const end = (): void => {
        // Dying by a signal skips 'exit' listeners: spill what is still in memory first.
        if (target.busy()) target.spillNow();
        remove();
        try {
          process.kill(process.pid, signal);
        } catch {
          process.exit(128 + SIGNAL_NUMBERS[signal]);
        }
      };
      const handler = (): void => {
        // The application listens too: its handler decides; 'beforeExit'/'exit' cover the events.
        if (process.listenerCount(signal) > 1) return;
        if (received) {
          end(); // a second signal while flushing: stop waiting
          return;
        }
        received = true;
        try {
          options.logger.info(`payi: ${signal} received; delivering queued events before exit`);
        } catch {
          /* ignore */
        }
        void target.flushForExit().finally(end);
      };
      signalHandlers.set(signal, handler);
      process.on(signal, handler);
    }
  }
  return remove;
}
