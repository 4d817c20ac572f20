import type { PayiEvent, XproxyResult } from '../events/types';

/** What a sink is told about the attempt it is asked to make. */
export interface SinkSendContext {
  /** Aborts the attempt (shutdown time-out); a sink passes it to its requests. */
  signal: AbortSignal;
  /** 0 for the first attempt of these events, then 1, 2, ... */
  attempt: number;
  /**
   * True when an earlier attempt with (some of) these events got no answer (connection lost,
   * time-out, or the sink threw): the destination may have stored them, so this attempt must not
   * double-count (the Pay-i bulk sink then uses `POST /api/v1/ingest/bulk-upsert`).
   */
  answerLost: boolean;
}

/**
 * What happened to one event of a batch:
 * - `sent`: the destination accepted it (`result`: what it answered for it, if anything);
 * - `retryable`: worth another attempt (408, 429, 5xx, no answer); `retryAfterMs` when asked;
 * - `failed`: refused for good (`tooLarge` when the destination refused it for its size, e.g. 413:
 *   delivery then splits the batch, or sends the event without its prompt/response JSON).
 */
export type SinkOutcome =
  | { status: 'sent'; result?: XproxyResult }
  | { status: 'retryable'; reason: string; error?: unknown; retryAfterMs?: number; answerLost?: boolean }
  | { status: 'failed'; reason: string; error?: unknown; tooLarge?: boolean };

/**
 * What a sink's `measure` may answer instead of a number: the event's size and a stand-in for it
 * that the sink's `send` reads as the event (the Pay-i bulk sink's holds its prompt and response
 * only inside the request bytes it kept). Delivery then holds the stand-in while the event waits,
 * and gives the sink's `restore` of it wherever the whole event is needed.
 */
export interface MeasuredEvent {
  /** The event's size in this sink's request, in bytes. */
  bytes: number;
  /** What delivery holds and sends in place of the event. */
  event: PayiEvent;
}

/**
 * A destination of events (the delivery port). The delivery pipeline (batching by count and
 * bytes, bounds, retries, spill, flush, exit) is written once against this interface; each
 * destination (Pay-i bulk, Pay-i inline, a JSON-lines file, your own) is one sink. Several sinks
 * run at once, each with its own queue and counters: one failing, hanging or throwing never holds
 * another back.
 *
 * `send` gets a batch and resolves to one outcome per event, in order. It may also throw (or
 * reject): the retry policy then decides for the whole batch (an error with a retryable `status`
 * or connection `code` is retried, anything else fails the batch). It must honour `signal`.
 *
 * @example
 * ```ts
 * const console: EventSink = {
 *   name: 'console',
 *   async send(events) {
 *     for (const e of events) process.stdout.write(JSON.stringify(e) + '\n');
 *     return events.map(() => ({ status: 'sent' }));
 *   },
 * };
 * payiInstrument({ ingest: { sinks: [console] } });
 * ```
 */
export interface EventSink {
  /** Names the sink in `ingestStats().sinks`, log lines and its spill file. Unique. */
  readonly name: string;
  /** Sends one batch; one outcome per event, in order. */
  send(events: readonly PayiEvent[], context: SinkSendContext): Promise<readonly SinkOutcome[]>;
  /** At process exit (synchronously): deliver what is left if the sink can (a file can); else left out. */
  sendSync?(events: readonly PayiEvent[]): readonly SinkOutcome[];
  /** Largest batch the sink wants, in events (default `ingest.maxBatchSize`). */
  readonly maxBatchSize?: number;
  /** Largest batch the sink wants, in bytes of JSON (default `ingest.maxBatchBytes`). */
  readonly maxBatchBytes?: number;
  /**
   * The event's size in this sink's request, in bytes (batches are cut by it), or `undefined` for
   * the default: an upper bound of its JSON, taken without serialising it. Called soon after the
   * event's provider call. `soon` is true when the event should leave within the next few batches
   * (the queue is short): a sink may then keep what it computed for the request (the Pay-i bulk
   * sink serialises the item and keeps its JSON), and should not when it is false (a backlog or an
   * outage: events wait, and a second copy of each would double their memory).
   */
  measure?(event: PayiEvent, soon: boolean): number | MeasuredEvent | undefined;
  /**
   * The whole event of a stand-in this sink's `measure` returned (for the spill file, `sendSync`,
   * and sending it again without its prompt/response); any other event as it is. Required of a
   * sink whose `measure` returns stand-ins.
   */
  restore?(event: PayiEvent): PayiEvent;
  /** Delay before a partial batch is sent, in ms (default `ingest.flushIntervalMs`). */
  readonly flushIntervalMs?: number;
  /** Called once when delivery closes. */
  close?(): Promise<void> | void;
}

/**
 * The whole event behind `event`: the sink's `restore` of it (a stand-in its `measure` made), or
 * `event` itself when the sink has no `restore` or it throws (delivery never throws for a sink).
 *
 * @example
 * ```ts
 * spill.put(events.map((e) => wholeEvent(sink, e)));
 * ```
 */
export function wholeEvent(sink: EventSink, event: PayiEvent): PayiEvent {
  try {
    return typeof sink.restore === 'function' ? sink.restore(event) : event;
  } catch {
    return event;
  }
}
