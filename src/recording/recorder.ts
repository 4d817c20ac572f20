import { performance } from 'node:perf_hooks';
import type { Frame } from '../context/types';
import { PayiLimitBlockedError } from '../errors';
import { buildEvent, type CallOutcome } from '../events/build';
import { PayiPropertyNames } from '../headers/names';
import type { XproxyResult } from '../events/types';
import { resolveAttribution, toProxyHeaders, type Attribution } from '../headers/attribution';
import { letGo } from '../internal/let-go';
import { safeExecute } from '../internal/logger';
import { chunkText, requestText, settleUsage } from '../usage';

/** What the recorder needs from the runtime (kept small so the recorder is testable alone). */
export interface RecorderDeps {
  logPromptAndResponse: boolean;
  enforceLimits: boolean;
  inline: boolean;
  blockedLimits(limitIds: readonly string[] | undefined): string[];
  submit(event: import('../events/types').PayiEvent): void;
  /**
   * Batched mode: runs `task` (making and submitting the call's event) after the call returned to
   * its caller (`Delivery.defer`). Without it the event is made on the call's path.
   */
  defer?(task: () => void): void;
  sendInline(event: import('../events/types').PayiEvent): Promise<XproxyResult | undefined>;
  promptAndResponseLogger?: (requestId: string, data: Record<string, string>) => void;
  /** The OpenTelemetry bridge, when it is on (src/otel): told of each call's start and of its recorded event. */
  observer?: import('../otel/bridge').CallObserver;
}

/** The fields of an outcome the adapter supplies (timing and category come from the recorder). */
export type AdapterOutcome = Omit<CallOutcome, 'category' | 'startedAt' | 'endToEndLatencyMs' | 'timeToFirstTokenMs' | 'timeToFirstCompletionTokenMs' | 'requestHeaders'> & {
  /** Streams: `performance.now()` when the first chunk with completion content arrived. */
  firstCompletionTokenAt?: number;
};

/**
 * One provider call being recorded: its attribution (frame + per-call headers), its timing, and
 * the hand-over of its one event. `finish()` is idempotent: the first outcome wins.
 */
export class CallRecorder {
  /** True when this call runs in proxy mode (headers out, nothing ingested). */
  readonly proxy: boolean;
  readonly attribution: Attribution;
  /** The caller's non-Pay-i per-call headers (what the provider should receive in ingest mode). */
  readonly otherHeaders: Record<string, string>;
  readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private firstTokenAt: number | undefined;
  private done = false;
  /** The observer's token for this call (the OpenTelemetry context active at its start). */
  private readonly observed: unknown;
  private requestBody: unknown;
  /** The stream's chunks as received (their text is read only when usage has to be estimated). */
  private readonly chunks: unknown[] = [];

  constructor(
    readonly category: string,
    frame: Frame,
    callHeaders: unknown,
    defaultProxy: boolean,
    private readonly deps: RecorderDeps,
  ) {
    const resolved = resolveAttribution(frame, callHeaders, deps.logPromptAndResponse);
    this.attribution = resolved.attribution;
    this.otherHeaders = resolved.otherHeaders;
    this.proxy = frame.proxy ?? defaultProxy;
    this.observed = this.proxy ? undefined : deps.observer?.begin();
  }

  /** Proxy mode: the `xProxy-*` headers to put on the provider request. */
  proxyHeaders(): Record<string, string> {
    return toProxyHeaders(this.attribution);
  }

  /** With `enforceLimits` in ingest mode, throws {@link PayiLimitBlockedError} when a limit of this call is blocked. */
  assertNotBlocked(): void {
    if (!this.deps.enforceLimits || this.proxy) return;
    const blocked = this.deps.blockedLimits(this.attribution.limitIds);
    if (blocked.length > 0) throw new PayiLimitBlockedError(blocked);
  }

  /** Marks the first streamed token (or chunk); only the first call counts. */
  markFirstToken(): void {
    this.firstTokenAt ??= performance.now();
  }

  /** The request body as the caller sent it (read only if usage has to be estimated). */
  noteRequest(body: unknown): void {
    this.requestBody = body;
  }

  /** One stream chunk as received: kept, so usage the provider did not report can be estimated from its text. */
  noteChunk(chunk: unknown): void {
    this.chunks.push(chunk);
  }

  /**
   * Whether the call's request and response JSON are wanted: prompt logging is on for the call, or
   * a `promptAndResponseLogger` gets them either way. Adapters make no JSON when not.
   */
  get keepsJson(): boolean {
    return this.attribution.logPromptAndResponse || !!this.deps.promptAndResponseLogger;
  }

  /** True once `finish()` ran. */
  get finished(): boolean {
    return this.done;
  }

  /**
   * Ends the call (once) and hands its event over. Batched mode: returns `undefined`; the event is
   * made after the caller has its result (`RecorderDeps.defer`) unless an OpenTelemetry provider
   * (through the bridge) or the prompt logger wants it as the call ends. Inline mode: returns the send's promise (resolves
   * to the service's `xproxy_result`, never rejects). Never throws.
   */
  finish(outcome: AdapterOutcome): Promise<XproxyResult | undefined> | undefined {
    if (this.done || this.proxy) return undefined;
    this.done = true;
    const endedAt = performance.now();
    const deps = this.deps;
    // Batched, and nobody waits for the event on the call's path (a registered OpenTelemetry
    // provider and the prompt logger see it as the call ends): made after the caller has its result.
    if (deps.defer && !deps.inline && !deps.promptAndResponseLogger && !deps.observer?.wants(this.observed)) {
      deps.defer(() => void this.record(outcome, endedAt));
      return undefined;
    }
    return this.record(outcome, endedAt);
  }

  /** Makes the call's event from `outcome` (the call ended at `endedAt`) and hands it over. Never throws. */
  private record(outcome: AdapterOutcome, endedAt: number): Promise<XproxyResult | undefined> | undefined {
    return safeExecute(
      'recording a provider call',
      () => {
        const usage = settleUsage({
          units: outcome.units,
          streamOutcome: outcome.properties?.[PayiPropertyNames.streamOutcome],
          requestText: () => requestText(this.requestBody),
          outputText: () => this.chunks.map(chunkText).join(''),
        });
        // read for the last time: let go of them, as of the request body (src/internal/let-go)
        letGo(this.chunks);
        this.requestBody = undefined;
        const full: CallOutcome = {
          ...outcome,
          units: usage.units,
          usageSource: usage.source,
          category: this.category,
          startedAt: this.startedAt,
          endToEndLatencyMs: endedAt - this.t0,
          requestHeaders: this.otherHeaders,
        };
        if (this.firstTokenAt !== undefined) full.timeToFirstTokenMs = this.firstTokenAt - this.t0;
        const content = outcome.firstCompletionTokenAt;
        if (content !== undefined && content !== this.firstTokenAt) full.timeToFirstCompletionTokenMs = content - this.t0;
        const event = buildEvent(full, this.attribution);
        const logger = this.deps.promptAndResponseLogger;
        if (logger) {
          const data: Record<string, string> = {};
          if (outcome.requestJson !== undefined) data.provider_request_json = outcome.requestJson;
          if (outcome.responseJson !== undefined) data.provider_response_json = outcome.responseJson;
          if (event.provider_response_id) data.provider_response_id = event.provider_response_id;
          safeExecute('promptAndResponseLogger', () => logger(event.provider_response_id ?? '', data), undefined);
        }
        const result = this.deps.inline ? this.deps.sendInline(event) : (this.deps.submit(event), undefined);
        const observer = this.deps.observer;
        if (observer) observer.record({ event, ...(outcome.responseJson !== undefined ? { responseJson: outcome.responseJson } : {}), ...(result ? { result } : {}) }, this.observed);
        return result;
      },
      undefined,
    );
  }
}
