import * as path from 'node:path';
import { Payi } from '../../client';
import type { IngestClient, Settings } from '../../options/types';
import type { EventSink } from '../sink';
import { OtlpSink } from '../../otel/otlp-sink';
import { JsonLinesFileSink } from './jsonl-file';
import { PayiBulkSink } from './payi-bulk';
import { PayiInlineSink } from './payi-inline';

export { JsonLinesFileSink } from './jsonl-file';
export { PayiBulkSink, bulkOutcomes } from './payi-bulk';
export { PayiInlineSink, outcomeOfError } from './payi-inline';

/** The sinks of one delivery. */
export interface SinkSet {
  /** The Pay-i client of the Pay-i sinks (limit reads in batched mode with enforceLimits). */
  client?: IngestClient;
  /** The primary sink (its counters are `ingestStats()`'s top level): Pay-i bulk, or the offline file. */
  primary: EventSink;
  /** Inline mode: the sink each event is first sent through before the provider's response returns. */
  inline?: EventSink;
  /** Every other sink, delivered to on its own. */
  extra: EventSink[];
}

/** The client the Pay-i sinks send with: `settings.payi`, else a `Payi` from `apiKey`/`baseUrl` (no client-level retries: delivery retries). */
function clientFor(settings: Settings): IngestClient {
  if (settings.payi) return settings.payi;
  return new Payi({
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    baseUrl: settings.baseUrl,
    timeoutMs: settings.ingest.requestTimeoutMs,
    maxRetries: 0,
  });
}

/**
 * The sinks the settings ask for: offline (`offline: { file }`) the JSON-lines file sink, else the
 * Pay-i bulk sink (and in `mode: 'inline'` the Pay-i inline sink for first sends); plus every sink
 * of `ingest.sinks`, and the OTLP sink when `otel.otlp` is on. A new built-in destination is one sink file plus one line here.
 *
 * @example
 * ```ts
 * const { primary, extra } = sinksFor(settings);
 * ```
 */
export function sinksFor(settings: Settings): SinkSet {
  const extra = [...settings.ingest.sinks];
  if (settings.otel.otlp) extra.push(new OtlpSink(settings.otel.otlp));
  if (settings.offline) return { primary: new JsonLinesFileSink(settings.offline.file), extra };
  const client = clientFor(settings);
  const set: SinkSet = { primary: new PayiBulkSink(client), extra, client };
  if (settings.ingest.mode === 'inline') set.inline = new PayiInlineSink(client);
  return set;
}

/**
 * Where a sink's undeliverable events go: the primary sink's in `spillFile`; another sink's
 * beside it as `<name without .jsonl>.<sink>.jsonl` (so `payi replay` of the Pay-i spill file never
 * sends another destination's events).
 *
 * @example
 * ```ts
 * spillFileFor('./.payi/undelivered.jsonl', 'otel', false); // './.payi/undelivered.otel.jsonl'
 * ```
 */
export function spillFileFor(spillFile: string | false, sink: string, primary: boolean): string | false {
  if (spillFile === false || primary) return spillFile;
  const ext = path.extname(spillFile);
  const base = ext === '' ? spillFile : spillFile.slice(0, -ext.length);
  return `${base}.${sink}${ext || '.jsonl'}`;
}
