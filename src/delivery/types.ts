import type { PayiEvent, XproxyResult } from '../events/types';

/** The counters of one sink (contract §6). */
export interface IngestCounters {
  /** Events waiting in memory now. */
  queued: number;
  /** Events the service accepted. */
  sent: number;
  /** Events that could not be delivered (spilled or, with `spillFile: false`, lost and logged). */
  failed: number;
  /** Events appended to the spill file. */
  spilled: number;
  /** Retried requests. */
  retried: number;
}

/**
 * Delivery counters (contract §6), from `ingestStats()`: the top-level counts are the primary
 * sink's (Pay-i, or the offline file); `sinks` has every sink's own, by name.
 */
export interface IngestStats extends IngestCounters {
  /** Each sink's counters: `payi` (or `file` offline) and every sink of `ingest.sinks`. */
  sinks: Record<string, IngestCounters>;
}

/** The delivery layer as the rest of the SDK sees it: "hand over one event". Never throws. */
export interface Delivery {
  /** Batched or offline mode: queue one event. */
  submit(event: PayiEvent): void;
  /**
   * Runs `task` (making and submitting an event) after the provider call returned to its caller:
   * all tasks deferred meanwhile run in one `setImmediate`, and before `flush()`, `close()`,
   * `stats()` and the exit hooks read the queue, so no event is later or lost for it.
   */
  defer(task: () => void): void;
  /** Inline mode: send one event now; resolves to the service's result, or `undefined` on failure. Never rejects. */
  sendInline(event: PayiEvent): Promise<XproxyResult | undefined>;
  /** Resolves when everything queued so far is delivered or spilled. */
  flush(): Promise<void>;
  /** Flushes (waiting at most `timeoutMs`, spilling what is left), then stops timers and hooks. */
  close(timeoutMs?: number): Promise<void>;
  /** The counters. */
  stats(): IngestStats;
}
