import type { FunctionCall } from '../../src/events/types';
import { PayiPropertyNames } from '../../src/headers/names';
import { safeExecute } from '../../src/internal/logger';
import { failureFields } from '../shared/failure';
import type { AdapterOutcome, CallRecorder } from '../../src/recording/recorder';
import type { InstrumentationHub } from '../../src/recording/types';
import { aiSdkTarget, type AiSdkTarget } from './category';
import { AiSdkStreamState, observeModelStream, type StreamOutcome } from './stream-state';
import type { AiSdkContentPart, AiSdkGenerateResult, AiSdkStreamResult } from './types';
import { aiSdkUnits, type AiSdkUsage } from './units';


/**
 * Provider response ids recorded lately, per `payiInstrument()` run (bounded): `generateObject`
 * through a model wrapped with `payiMiddleware()` is seen by the middleware and by the telemetry
 * integration, which cannot run that model call in a context of its own; the second one to finish
 * with the same id records nothing.
 */
const recentIdsByHub = new WeakMap<InstrumentationHub, Set<string>>();
const RECENT_IDS_KEPT = 4096;

function claimResponseId(hub: InstrumentationHub, id: string | undefined): boolean {
  if (!id) return true;
  let recentIds = recentIdsByHub.get(hub);
  if (!recentIds) recentIdsByHub.set(hub, (recentIds = new Set()));
  if (recentIds.has(id)) return false;
  recentIds.add(id);
  if (recentIds.size > RECENT_IDS_KEPT) recentIds.delete(recentIds.values().next().value as string);
  return true;
}

/**
 * One AI SDK model call (one step of `generateText`/`streamText`/`generateObject`, or one
 * `doEmbed`) being recorded: built from the model's provider and model ids, finished from the
 * model's result, its stream, or its error. Every method is safe: a fault is logged, never thrown.
 */
export class AiSdkModelCall {
  /** Ends the observed stream (set by {@link observeStream}). */
  private endStream: ((outcome: StreamOutcome, error?: unknown) => void) | undefined;

  private constructor(
    private readonly hub: InstrumentationHub,
    private readonly recorder: CallRecorder,
    private readonly target: AiSdkTarget,
  ) {}

  /**
   * Starts recording, or returns `undefined` when the call is not to be recorded (no frame,
   * proxy mode, a provider call a framework already records, an adapter fault).
   */
  static begin(hub: InstrumentationHub, provider: string | undefined, modelId: string | undefined): AiSdkModelCall | undefined {
    return safeExecute(
      'starting an AI SDK model call',
      () => {
        const target = aiSdkTarget(provider, modelId);
        const recorder = hub.beginCall(target.category, undefined);
        if (!recorder || recorder.proxy) return undefined;
        return new AiSdkModelCall(hub, recorder, target);
      },
      undefined,
    );
  }

  /** With `enforceLimits`, throws `PayiLimitBlockedError` when a limit of the call is blocked. */
  assertNotBlocked(): void {
    this.recorder.assertNotBlocked();
  }

  /** True once the event was handed over. */
  get finished(): boolean {
    return this.recorder.finished;
  }

  /** Records a non-streamed model result (`doGenerate`). */
  finishGenerate(result: AiSdkGenerateResult): void {
    this.finish(() => ({
      ...this.base(result.response?.modelId, result.usage, result.request, result.response?.headers),
      ...(result.response?.id ? { responseId: result.response.id } : {}),
      ...(result.response?.body !== undefined ? { responseJson: json(result.response.body) } : {}),
      ...calls(result.content ?? []),
    }));
  }

  /** Records a finished call from the values the AI SDK's telemetry events carry (`generateObject`, `embed`). */
  finishFrom(values: { modelId?: string; usage?: AiSdkUsage; responseId?: string; headers?: Record<string, string | undefined>; properties?: Record<string, string> }, units?: AdapterOutcome['units']): void {
    this.finish(() => {
      const outcome = this.base(values.modelId, values.usage, undefined, values.headers);
      if (units) outcome.units = units;
      if (values.properties) outcome.properties = values.properties;
      if (values.responseId) outcome.responseId = values.responseId;
      return outcome;
    });
  }

  /** Records a failed call: the error's HTTP status (`APICallError.statusCode`), else 299 with `system.failure`. */
  fail(error: unknown, properties?: Record<string, string>): void {
    this.finish(() => {
      const outcome: AdapterOutcome = { resource: this.target.resource, units: {}, ...failureOf(error) };
      if (properties) outcome.properties = { ...outcome.properties, ...properties };
      return outcome;
    });
  }


  /**
   * Observes a streamed result in place: its `stream` is replaced by a pass-through
   * ({@link observeModelStream}) and the call is recorded when the stream completes, is abandoned
   * or fails, with `properties["system.stream_outcome"]`. Returns the same result object.
   */
  observeStream<R extends AiSdkStreamResult>(result: R): R {
    const source = result.stream;
    if (!source || typeof source.getReader !== 'function') return result;
    const state = new AiSdkStreamState();
    const end = (outcome: StreamOutcome, error?: unknown): void => {
      this.finish(() => {
        const recorded: AdapterOutcome = {
          ...this.base(state.modelId, state.usage, result.request, result.response?.headers),
          ...(state.id ? { responseId: state.id } : {}),
          ...calls(state.toolCalls),
        };
        // a broken stream is recorded like the direct adapters do: its error's status, else 299 and system.failure
        const failure = outcome === 'failed' && error !== undefined ? failureOf(error) : {};
        return { ...recorded, ...failure, properties: { ...failure.properties, [PayiPropertyNames.streamOutcome]: outcome } };
      });
    };
    this.endStream = end;
    result.stream = observeModelStream(source, state, { content: () => this.recorder.markFirstToken(), end });
    return result;
  }

  /** Records the call as abandoned (the caller aborted it) unless it was already recorded. */
  abandon(): void {
    if (this.endStream) return this.endStream('abandoned');
    this.finish(() => ({ resource: this.target.resource, units: {}, properties: { [PayiPropertyNames.streamOutcome]: 'abandoned' } }));
  }

  private base(modelId: string | undefined, usage: AiSdkUsage | undefined, request: { url?: string; body?: unknown } | undefined, headers: Record<string, string | undefined> | undefined): AdapterOutcome {
    const outcome: AdapterOutcome = {
      // the model the provider answered with (e.g. a dated snapshot) is kept by the direct adapters too
      resource: this.target.category === 'system.google.vertex' || !modelId ? this.target.resource : modelId,
      units: aiSdkUnits(this.target.category, usage, modelId ?? this.target.resource.replace(/^google\./, '')),
      httpStatusCode: 200,
    };
    if (request?.url) outcome.providerUri = request.url;
    if (request?.body !== undefined) outcome.requestJson = json(request.body);
    const clean = definedHeaders(headers);
    if (clean) outcome.responseHeaders = clean;
    const rid = requestIdOf(clean);
    if (rid) outcome.requestId = rid;
    return outcome;
  }

  private finish(build: () => AdapterOutcome): void {
    if (this.recorder.finished) return;
    safeExecute(
      'recording an AI SDK model call',
      () => {
        const outcome = build();
        if (!claimResponseId(this.hub, outcome.responseId)) return;
        void this.recorder.finish(outcome);
      },
      undefined,
    );
  }
}

/**
 * What an event records of an AI SDK error: an `APICallError`'s `statusCode`, response headers,
 * body and request id; an error without a status (or with a 2xx one) is `299` with `system.failure` (class name) and
 * `system.failure.description`.
 */
function failureOf(error: unknown): Pick<AdapterOutcome, 'httpStatusCode' | 'properties' | 'responseHeaders' | 'responseJson' | 'requestId'> {
  const e = (error ?? {}) as { statusCode?: unknown; responseHeaders?: unknown; responseBody?: unknown };
  // a 2xx status on an error: the answer started, then broke (`Failed to process successful response`)
  if (typeof e.statusCode === 'number' && e.statusCode > 0 && (e.statusCode < 200 || e.statusCode > 299)) {
    const out: ReturnType<typeof failureOf> = { httpStatusCode: e.statusCode };
    const headers = e.responseHeaders && typeof e.responseHeaders === 'object' ? (e.responseHeaders as Record<string, string>) : undefined;
    if (headers) out.responseHeaders = headers;
    if (typeof e.responseBody === 'string') out.responseJson = e.responseBody;
    const rid = requestIdOf(headers);
    if (rid) out.requestId = rid;
    return out;
  }
  const f = failureFields(error);
  return f.properties ? { httpStatusCode: f.httpStatusCode, properties: f.properties } : { httpStatusCode: f.httpStatusCode };
}

function calls(content: readonly AiSdkContentPart[]): { functionCalls?: FunctionCall[] } {
  const out: FunctionCall[] = [];
  for (const part of content) {
    if (part.type !== 'tool-call' || !part.toolName) continue;
    out.push(part.input === undefined ? { name: part.toolName } : { name: part.toolName, arguments: typeof part.input === 'string' ? part.input : json(part.input) });
  }
  return out.length > 0 ? { functionCalls: out } : {};
}

function json(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function definedHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

function requestIdOf(headers: Record<string, string | undefined> | undefined): string | undefined {
  return headers?.['x-request-id'] ?? headers?.['request-id'] ?? undefined;
}
