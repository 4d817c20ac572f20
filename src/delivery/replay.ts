import * as fs from 'node:fs';
import { Payi } from '../client';
import { PayiConfigError } from '../errors';
import type { PayiEvent } from '../events/types';
import { INGEST_DEFAULTS } from '../options/resolve';
import type { IngestClient } from '../options/types';
import { deliverBatch } from './attempts';
import { chunkBySize, eventBytes, fitEvent, originOf } from './oversize';
import { isConnectionError } from './retry-policy';
import { PayiBulkSink } from './sinks/payi-bulk';

/** How long one replay request may take before it counts as unanswered. */
const REPLAY_ATTEMPT_TIMEOUT_MS = 60_000;

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
  /** Bytes of JSON per bulk request; a larger event goes without its prompt/response JSON. Default 1048576. */
  maxBatchBytes?: number;
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
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new PayiConfigError(`replaySpillFile: batchSize ${String(batchSize)} is invalid; expected a whole number >= 1`, 'batchSize', batchSize);
  const maxBatchBytes = options.maxBatchBytes ?? INGEST_DEFAULTS.maxBatchBytes;
  if (!Number.isInteger(maxBatchBytes) || maxBatchBytes < 4096) throw new PayiConfigError(`replaySpillFile: maxBatchBytes ${String(maxBatchBytes)} is invalid; expected a whole number >= 4096`, 'maxBatchBytes', maxBatchBytes);
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

  // bulk-upsert: a spilled event may already be stored (its answer was lost), and must not count twice
  const sink = new PayiBulkSink(client, 'payi', 'always');
  // Too large on its own: sent without its prompt/response JSON (as live delivery does).
  const batches = chunkBySize(events.map((e) => ({ ...e, ...fitEvent(e.event, eventBytes(e.event), maxBatchBytes) })), batchSize, maxBatchBytes);
  let stopped = false;
  for (const batch of batches) {
    if (stopped) {
      result.unsent += batch.length;
      keep.push(...batch.map((b) => b.line));
      continue;
    }
    const lineOf = new Map(batch.map((b) => [originOf(b.event), b.line]));
    const sent = new Set<PayiEvent>();
    const state = { open: new Set(batch.map((b) => b.event)), claimed: false };
    const outcome = await deliverBatch(state, {
      sink,
      maxRetryMs: 0,
      attemptTimeoutMs: REPLAY_ATTEMPT_TIMEOUT_MS,
      signal: new AbortController().signal,
      onSent: (list) => list.forEach((e) => sent.add(originOf(e))),
      onAttemptFailed: () => undefined,
      onRetry: () => undefined,
    });
    result.sent += sent.size;
    for (const p of outcome.permanent) {
      result.rejected += p.events.length;
      for (const e of p.events) keep.push(lineOf.get(originOf(e))!);
    }
    for (const e of state.open) {
      result.unsent++;
      keep.push(lineOf.get(originOf(e))!);
    }
    if (state.open.size > 0 && isConnectionError(outcome.lastError)) stopped = true;
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
