import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PayiEvent } from '../../events/types';
import type { EventSink, SinkOutcome } from '../sink';

/**
 * The JSON-lines file sink (offline mode, `offline: { file }`): each batch is appended to `file`,
 * one event per line (folder created on first use); nothing goes to the network. Batches leave at
 * the next timer tick, and what is left at exit is written synchronously. An event that is not
 * JSON-serialisable, or a failed write, is reported `failed` (then spilled).
 *
 * @example
 * ```ts
 * payiInstrument({ offline: { file: './events.jsonl' } }); // uses this sink
 * ```
 */
export class JsonLinesFileSink implements EventSink {
  readonly maxBatchSize = 512;
  readonly maxBatchBytes = Number.MAX_SAFE_INTEGER;
  readonly flushIntervalMs = 0;
  private dirReady = false;

  constructor(
    readonly file: string,
    readonly name = 'file',
  ) {}

  /** Appends the batch to the file (synchronously; see {@link JsonLinesFileSink.sendSync}). */
  async send(events: readonly PayiEvent[]): Promise<SinkOutcome[]> {
    return this.sendSync(events);
  }

  /** Appends the batch now: `sent` for each line written, `failed` when it could not be. */
  sendSync(events: readonly PayiEvent[]): SinkOutcome[] {
    const lines: string[] = [];
    const out: SinkOutcome[] = events.map((event) => {
      try {
        lines.push(JSON.stringify(event));
        return { status: 'sent' };
      } catch (err) {
        return { status: 'failed', reason: 'not JSON-serialisable', error: err };
      }
    });
    if (lines.length === 0) return out;
    try {
      if (!this.dirReady) {
        fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
        this.dirReady = true;
      }
      fs.appendFileSync(this.file, lines.join('\n') + '\n', 'utf8');
      return out;
    } catch (err) {
      const reason = `could not append to ${this.file}: ${(err as Error).message}`;
      return out.map((o) => (o.status === 'sent' ? { status: 'failed', reason, error: err } : o));
    }
  }
}
