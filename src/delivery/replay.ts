import * as fs from 'node:fs';
import { Payi } from '../client';
import { isConnectionError, isRetryableStatus } from '../client/http';
import type { PayiEvent } from '../events/types';
import type { IngestClient } from '../options/types';
import { bulkItemErrors } from '../wire/answers';

/** Options of {@link replaySpillFile}. */
export interface ReplayOptions {
  /** The client to send with. Default: `new Payi({ apiKey, baseUrl })` (env fallbacks). */
  client?: IngestClient;
  /** API key of the default client. */
  apiKey?: string;
  /** Base URL of the default client. */
  baseUrl?: string;
  /** Events per bulk request. Default 100. */
  batchSize?: number;
  /** Called after each batch with the counts so far (progress output). */
  onProgress?: (progress: ReplayResult) => void;
}

/** What {@link replaySpillFile} did. */
export interface ReplayResult {
  /** Lines in the file when the replay started (blank lines not counted). */
  total: number;
  /** Events the service accepted; removed from the file. */
  sent: number;
  /** Events the service refused for good (malformed, 4xx); kept in the file. */
  rejected: number;
  /** Events not sent because the service could not be reached or kept failing; kept in the file. */
  unsent: number;
  /** `rejected + unsent`: events still in the file. */
  failed: number;
  /** Lines that are not JSON objects; kept in the file as they were. */
  invalid: number;
  /** Lines the file holds now (including lines appended while the replay ran). */
  remaining: number;
}

/**
 * Sends the events of a spill file (JSON lines, e.g. `./.payi/undelivered.jsonl`) with bulk
 * requests of `batchSize`, then rewrites the file keeping only what still failed (refused items,
 * unsent batches, lines that are not JSON) plus any lines appended meanwhile. A batch that fails
 * with a connection error stops the replay (the rest is kept). A file that does not exist gives
 * all-zero counts. This is what `payi replay FILE` calls.
 *
 * @example
 * ```ts
 * const r = await replaySpillFile('./.payi/undelivered.jsonl', { baseUrl: 'http://127.0.0.1:7480' });
 * console.log(`${r.sent} sent, ${r.remaining} left`);
 * ```
 */
export async function replaySpillFile(file: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const result: ReplayResult = { total: 0, sent: 0, rejected: 0, unsent: 0, failed: 0, invalid: 0, remaining: 0 };
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`replaySpillFile: batchSize ${String(batchSize)} is invalid; expected a whole number >= 1`);
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw err;
  }
  const readBytes = Buffer.byteLength(content, 'utf8');
  const client = options.client ?? new Payi({ ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });

  const keep: string[] = [];
  const events: { line: string; event: PayiEvent }[] = [];
  for (const line of content.split('\n')) {
    if (line.trim() === '') continue;
    result.total++;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) events.push({ line, event: parsed as PayiEvent });
      else throw new Error('not an object');
    } catch {
      result.invalid++;
      keep.push(line);
    }
  }

  let stopped = false;
  for (let i = 0; i < events.length; i += batchSize) {
    const batch = events.slice(i, i + batchSize);
    if (stopped) {
      result.unsent += batch.length;
      keep.push(...batch.map((b) => b.line));
      continue;
    }
    try {
      const res = await client.ingest.bulk(batch.map((b) => b.event));
      const errors = bulkItemErrors(res);
      batch.forEach((b, idx) => {
        const e = errors.get(idx);
        if (!e) result.sent++;
        else {
          if (typeof e.status === 'number' && isRetryableStatus(e.status)) result.unsent++;
          else result.rejected++;
          keep.push(b.line);
        }
      });
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && !isRetryableStatus(status)) result.rejected += batch.length;
      else result.unsent += batch.length;
      keep.push(...batch.map((b) => b.line));
      if (isConnectionError(err)) stopped = true;
    }
    result.failed = result.rejected + result.unsent;
    options.onProgress?.({ ...result, remaining: keep.length });
  }

  // Lines appended while we were sending (a running application spilling) are kept too.
  let appended = '';
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > readBytes) {
        const buf = Buffer.alloc(size - readBytes);
        fs.readSync(fd, buf, 0, buf.length, readBytes);
        appended = buf.toString('utf8');
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    appended = '';
  }
  const extra = appended.split('\n').filter((l) => l.trim() !== '');
  const lines = [...keep, ...extra];
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, lines.length > 0 ? lines.join('\n') + '\n' : '', 'utf8');
  fs.renameSync(tmp, file);
  result.remaining = lines.length;
  return result;
}
