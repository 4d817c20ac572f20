import type { PayiEvent } from '../../events/types';
import type { IngestClient } from '../../options/types';
import { bulkItemErrors } from '../../wire/answers';
import { IngestResource } from '../../client/ingest';
import { bulkItemBytes, packBulkItem, unpackBulkItem } from '../../wire/ingest';
import { isRetryableStatus } from '../retry-policy';
import type { EventSink, MeasuredEvent, SinkOutcome, SinkSendContext } from '../sink';

/** The client calls this sink uses: `bulk`, and `bulkUpsert` when the client has it. */
type BulkCall = (events: readonly PayiEvent[], options?: { signal?: AbortSignal }) => Promise<unknown>;

/**
 * Outcomes of a bulk answer (`BulkIngestResponse`): an item named in `errors[].item_index` failed
 * with `xproxy_result.statusCode` (retryable for 408, 429, 5xx; too large for 413; else refused);
 * every other item was accepted. The answer has no per-item results.
 *
 * @example
 * ```ts
 * bulkOutcomes({ errors: [{ item_index: 1, xproxy_result: { statusCode: 429, message: 'slow down' } }] }, 2);
 * ```
 */
export function bulkOutcomes(answer: unknown, count: number): SinkOutcome[] {
  const errors = bulkItemErrors(answer as Parameters<typeof bulkItemErrors>[0]);
  const out: SinkOutcome[] = [];
  for (let i = 0; i < count; i++) {
    const e = errors.get(i);
    if (!e) {
      out.push({ status: 'sent' });
      continue;
    }
    const { status, code, message } = e;
    const reason = `refused with ${status ?? 'an error'}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
    const error = { status, code, message: `bulk item answered ${status ?? 'an error'}${message ? `: ${message}` : ''}` };
    if (status === 413) out.push({ status: 'failed', reason, error, tooLarge: true });
    else if (status !== undefined && isRetryableStatus(status)) out.push({ status: 'retryable', reason, error });
    else out.push({ status: 'failed', reason, error });
  }
  return out;
}

/**
 * The Pay-i bulk sink: a batch goes as `POST /api/v1/ingest/bulk` (a bare array); a retry of a
 * batch whose earlier answer was lost goes as `POST /api/v1/ingest/bulk-upsert`, which the service
 * keys by `provider_response_id` (every event has one), so it cannot double-count; a service that
 * answers bulk-upsert with 404/405 gets plain bulk from then on. A thrown client
 * error (connection, time-out, 413, 5xx, 401...) is left to the retry policy.
 *
 * @example
 * ```ts
 * const sink = new PayiBulkSink(new Payi({ apiKey }));
 * ```
 */
export class PayiBulkSink implements EventSink {
  /**
   * @param upsert `'always'` sends every batch with bulk-upsert (replay: a spilled event may have
   *   been stored by a request whose answer was lost); `'after-lost-answer'` (default) only retries.
   */
  constructor(
    private readonly client: IngestClient,
    readonly name = 'payi',
    private readonly upsert: 'always' | 'after-lost-answer' = 'after-lost-answer',
  ) {}

  /**
   * With `soon`, the exact size of the event's item in the bulk body, serialised once, right after
   * its call, and kept for the request. With the SDK's own client (which sends kept items as they
   * are), a JSON call's item is kept as bytes and a stand-in that holds the prompt and response
   * only there is returned (`packBulkItem`; a larger item is kept beside the whole event). With
   * another client, whose `bulk` may read the events, the item is kept beside the whole event
   * (`bulkItemBytes`). Otherwise (a backlog) `undefined`: the pipeline's upper bound, and the item
   * is serialised when it is sent.
   */
  measure(event: PayiEvent, soon: boolean): number | MeasuredEvent | undefined {
    if (!soon) return undefined;
    if (this.client.ingest instanceof IngestResource) {
      const held = packBulkItem(event);
      return held.event === event ? held.bytes : held;
    }
    return bulkItemBytes(event, true); // another client may read the events it is given: they stay whole
  }

  /** The whole event of a stand-in {@link measure} made (`unpackBulkItem`); any other as it is. */
  restore(event: PayiEvent): PayiEvent {
    return unpackBulkItem(event);
  }

  /** Set once the service answered bulk-upsert with 404/405 (a service without it): plain bulk from then on. */
  private upsertMissing = false;

  /** Sends the batch with bulk (bulk-upsert after a lost answer, or always in replay); outcomes by `item_index`. */
  async send(events: readonly PayiEvent[], context: SinkSendContext): Promise<SinkOutcome[]> {
    const ingest = this.client.ingest as IngestClient['ingest'] & { bulkUpsert?: BulkCall };
    const options = { signal: context.signal };
    if ((context.answerLost || this.upsert === 'always') && typeof ingest.bulkUpsert === 'function' && !this.upsertMissing) {
      try {
        return bulkOutcomes(await ingest.bulkUpsert(events, options), events.length);
      } catch (err) {
        const status = (err as { status?: unknown } | null)?.status;
        if (status !== 404 && status !== 405) throw err;
        this.upsertMissing = true;
      }
    }
    return bulkOutcomes(await ingest.bulk(events, options), events.length);
  }
}
