import type { PayiEvent, XproxyResult } from '../events/types';
import type { LimitStateStore } from '../limits/store';
import type { IngestClient } from '../options/types';
import { isConnectionError, isRetryableError } from '../client/http';
import type { BatchPipeline } from './batched';
import { ingestError, type Reporter } from './report';
import type { Spill } from './spill';
import type { IngestStats } from './types';

/** What inline sending works with. */
export interface InlineDeps {
  client: IngestClient;
  limits: LimitStateStore;
  stats: IngestStats;
  reporter: Reporter;
  spill: Spill;
  /** Retryable failures are handed to the batch pipeline, which retries them in the background. */
  pipeline: BatchPipeline;
  signal: AbortSignal;
}

/**
 * Inline delivery (contract §6): sends one event with `POST /api/v1/ingest?id=...` and resolves to
 * the service's `xproxy_result` (recording its limit states), or `undefined` when the send failed.
 * Never rejects. A retryable failure (connection error, time-out, 408, 429, 5xx) is queued for
 * background retry like a batched event, so the provider call is not held up; any other failure is
 * spilled and reported.
 *
 * @example
 * ```ts
 * const result = await sendInline(event, deps); // attached to the provider's response as xproxy_result
 * ```
 */
export async function sendInline(event: PayiEvent, deps: InlineDeps): Promise<XproxyResult | undefined> {
  try {
    const result = await deps.client.ingest.units(event, { signal: deps.signal });
    deps.limits.record(result);
    deps.stats.sent++;
    return result ?? undefined;
  } catch (err) {
    try {
      if (isRetryableError(err) && !deps.signal.aborted) {
        deps.reporter.attemptFailed(err, isConnectionError(err), 0);
        deps.stats.retried++;
        deps.pipeline.submit(event);
      } else {
        deps.spill.put([event]);
        const message = (err as { message?: unknown } | null)?.message;
        deps.reporter.failure(ingestError(`payi: 1 event not delivered inline: ${typeof message === 'string' ? message : String(err)}; spilled to ${deps.spill.where}`, err, deps.reporter.secrets));
      }
    } catch {
      /* delivery never throws into the provider call */
    }
    return undefined;
  }
}
