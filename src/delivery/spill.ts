import type { PayiEvent } from '../events/types';
import type { PayiLogger } from '../internal/logger';
import { JsonLinesFile } from './jsonl-file';
import type { IngestCounters } from './types';

/**
 * Where undeliverable events go (contract §6): appended as JSON lines to `ingest.spillFile`
 * (default `./.payi/undelivered.jsonl`, folder created) for `payi replay` to send later. Every
 * event put here is counted `failed`; those written to the file are also counted `spilled`. With
 * `spillFile: false` they are counted, logged and lost.
 *
 * @example
 * ```ts
 * const spill = new Spill('./.payi/undelivered.jsonl', stats, logger);
 * spill.put(events);
 * ```
 */
export class Spill {
  private readonly file: JsonLinesFile | undefined;

  constructor(
    readonly path: string | false,
    private readonly stats: IngestCounters,
    private readonly logger: PayiLogger,
  ) {
    this.file = path === false ? undefined : new JsonLinesFile(path, logger, (_written, lost) => {
      this.stats.spilled -= lost;
    });
  }

  /** Where spilled events are written, for log lines. */
  get where(): string {
    return this.path === false ? 'nowhere (spillFile: false; they are lost)' : this.path;
  }

  /** Counts `events` as failed and appends them to the spill file (at the end of this tick). */
  put(events: readonly PayiEvent[]): void {
    if (events.length === 0) return;
    this.stats.failed += events.length;
    if (!this.file) {
      try {
        this.logger.warn(`payi: ${events.length} undeliverable events dropped (ingest.spillFile is false)`);
      } catch {
        /* ignore */
      }
      return;
    }
    this.stats.spilled += this.file.append(events);
  }

  /** Writes what is buffered now. */
  flushSync(): void {
    this.file?.flushSync();
  }
}
