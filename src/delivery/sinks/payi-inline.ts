import type { PayiEvent } from '../../events/types';
import type { IngestClient } from '../../options/types';
import { isConnectionError, isRetryableError, retryAfterMsOf } from '../retry-policy';
import type { EventSink, SinkOutcome, SinkSendContext } from '../sink';

const reasonOf = (error: unknown): string => {
  const m = (error as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(error);
};

/**
 * The outcome of one failed send, by the retry policy: 413 too large; connection errors,
 * time-outs, 408, 429 and 5xx retryable; anything else refused.
 *
 * @example
 * ```ts
 * outcomeOfError(apiError); // { status: 'retryable', ... } for a 503
 * ```
 */
export function outcomeOfError(error: unknown): SinkOutcome {
  const reason = reasonOf(error);
  if ((error as { status?: unknown } | null)?.status === 413) return { status: 'failed', reason, error, tooLarge: true };
  if (isRetryableError(error)) {
    const asked = retryAfterMsOf(error);
    return { status: 'retryable', reason, error, answerLost: isConnectionError(error), ...(asked !== undefined ? { retryAfterMs: asked } : {}) };
  }
  return { status: 'failed', reason, error };
}

/**
 * The Pay-i inline sink: each event goes as `POST /api/v1/ingest?id=<provider_response_id>`
 * (the id makes a repeated send of the same event idempotent) and its outcome carries the
 * service's `xproxy_result` (limit states). The events of a batch are sent concurrently.
 *
 * @example
 * ```ts
 * const [outcome] = await new PayiInlineSink(payi).send([event], { signal, attempt: 0, answerLost: false });
 * ```
 */
export class PayiInlineSink implements EventSink {
  constructor(
    private readonly client: IngestClient,
    readonly name = 'payi',
  ) {}

  /** Sends each event with `POST /api/v1/ingest`, concurrently; `sent` carries its `xproxy_result`. */
  send(events: readonly PayiEvent[], context: SinkSendContext): Promise<SinkOutcome[]> {
    return Promise.all(events.map(async (event): Promise<SinkOutcome> => {
      try {
        const result = await this.client.ingest.units(event, { signal: context.signal });
        return { status: 'sent', ...(result ? { result } : {}) };
      } catch (err) {
        return outcomeOfError(err);
      }
    }));
  }
}
