import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PayiLogger } from '../internal/logger';

/** Lines buffered before they are written at once (bounds memory in a burst). */
const MAX_BUFFERED_LINES = 512;

/**
 * An append-only JSON-lines file (the spill file and the offline transport). `append` buffers and
 * writes at the end of the current tick (or at once past 512 lines), creating the folder on first
 * use; `flushSync` writes what is buffered now (exit hooks). Never throws: a failed write is logged.
 *
 * @example
 * ```ts
 * const file = new JsonLinesFile('./.payi/undelivered.jsonl', logger);
 * file.append([event]);
 * file.flushSync();
 * ```
 */
export class JsonLinesFile {
  private lines: string[] = [];
  private scheduled = false;
  private dirReady = false;

  /**
   * @param file where lines are appended
   * @param onWritten called after each write with the number of lines written (0 when it failed)
   *   and the number that were lost
   */
  constructor(
    readonly file: string,
    private readonly logger: PayiLogger,
    private readonly onWritten: (written: number, lost: number) => void = () => undefined,
  ) {}

  /** Lines waiting to be written. */
  get buffered(): number {
    return this.lines.length;
  }

  /** Queues objects as JSON lines; written at the end of this tick. Returns how many were queued. */
  append(items: readonly unknown[]): number {
    let n = 0;
    for (const item of items) {
      try {
        this.lines.push(JSON.stringify(item));
        n++;
      } catch (err) {
        this.logger.error({ err }, `payi: an event could not be written to ${this.file} (not JSON-serialisable); it is lost`);
        this.onWritten(0, 1);
      }
    }
    if (this.lines.length >= MAX_BUFFERED_LINES) this.flushSync();
    else if (!this.scheduled && this.lines.length > 0) {
      this.scheduled = true;
      void Promise.resolve().then(() => this.flushSync());
    }
    return n;
  }

  /** Writes every buffered line now. */
  flushSync(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    try {
      if (!this.dirReady) {
        fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
        this.dirReady = true;
      }
      fs.appendFileSync(this.file, lines.join('\n') + '\n', 'utf8');
      this.onWritten(lines.length, 0);
    } catch (err) {
      this.logger.error({ err }, `payi: could not append ${lines.length} events to ${this.file}; they are lost`);
      this.onWritten(0, lines.length);
    }
  }
}
