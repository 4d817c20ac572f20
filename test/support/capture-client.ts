import type { PayiEvent, XproxyResult } from '../../src/events/types';
import type { BulkIngestResult, IngestClient } from '../../src/options/types';
import type { LimitResponse } from '../../src/wire/resources';

/**
 * An {@link IngestClient} for tests: records every event it is given (bulk and inline) and answers
 * like the service: `ingest.units` with an `xproxy_result` whose `limits` can be set by the test,
 * `ingest.bulk` with a `BulkIngestResponse` (which, as the spec says, carries no limit states).
 * `failWith` makes every send reject (the delivery transport throwing).
 *
 * @example
 * ```ts
 * const capture = new CaptureClient();
 * payiInstrument({ payi: capture, logger: pino({ level: 'silent' }) });
 * await client.chat.completions.create(body);
 * await flush();
 * expect(capture.events).toHaveLength(1);
 * ```
 */
export class CaptureClient implements IngestClient {
  /** Every event received, oldest first. */
  readonly events: PayiEvent[] = [];
  /** Events received through `ingest.units` (inline mode). */
  readonly inline: PayiEvent[] = [];
  /**
   * Limit states the "service" holds, e.g. `{ lim1: { state: 'blocked' } }`: reported in every
   * `ingest.units` answer, and as a spec-shaped `Limit` by `limits.get` (what batched mode reads).
   */
  limitStates: XproxyResult['limits'] = undefined;
  /** Limit ids read through `limits.get`, in order. */
  readonly limitReads: string[] = [];
  /** When set, every send rejects with this error. */
  failWith: Error | undefined;
  /** What the "service" answers for one event (default: a request id, a cost, and `limits` if set). */
  answer: (event: PayiEvent) => XproxyResult = () => this.result();
  private counter = 0;

  readonly ingest = {
    units: async (event: PayiEvent): Promise<XproxyResult> => {
      if (this.failWith) throw this.failWith;
      this.events.push(event);
      this.inline.push(event);
      return this.answer(event);
    },
    bulk: async (events: readonly PayiEvent[]): Promise<BulkIngestResult> => {
      if (this.failWith) throw this.failWith;
      this.events.push(...events);
      for (const e of events) this.answer(e);
      return { request_id: `capture_bulk_${++this.counter}`, ingest_timestamp: new Date().toISOString(), ingest_count: events.length, errors: [] };
    },
  };

  /** `GET /api/v1/limits/{limit_id}`: a `LimitResponse` whose totals put the limit in its state. */
  readonly limits = {
    get: async (limitId: string): Promise<LimitResponse> => {
      this.limitReads.push(limitId);
      const blocked = this.limitStates?.[limitId]?.state === 'blocked';
      const base = { base: blocked ? 1 : 0 };
      const now = new Date().toISOString();
      return {
        request_id: `capture_limit_${++this.counter}`,
        limit: {
          limit_id: limitId, limit_name: limitId, max: 1, limit_type: 'block', limit_creation_timestamp: now, limit_update_timestamp: now,
          totals: { cost: { input: base, output: { base: 0 }, total: base }, requests: { ok: 0, blocked: 0, blocked_external: 0, exceeded: 0, overrun: 0, failed: 0, total: 0 } },
        },
      };
    },
  };

  private result(): XproxyResult {
    const r: XproxyResult = { request_id: `capture_${++this.counter}`, cost: { currency: 'usd', total: { base: 0.001 } } };
    if (this.limitStates) r.limits = this.limitStates;
    return r;
  }
}
