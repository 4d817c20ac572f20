import { letGo } from '../../src/internal/let-go';
import { safeLogger } from '../../src/internal/logger';
import { catalogueEntry } from '../registry';
import { patchMethod } from '../shared/patch';
import { instrumentModuleCopies } from '../shared/resolve-module';
import { PayiLimitBlockedError } from '../../src/errors';
import type { XproxyResult } from '../../src/events/types';
import { PayiCategories } from '../../src/headers/names';
import type { CallRecorder } from '../../src/recording/recorder';
import { observeApiPromise, rewriteCallHeaders, wrapStream, type StreamOutcome } from '../shared/stainless';
import type { InstrumentationHub, Unpatch } from '../../src/recording/types';
import { errorOutcome, messageOutcome, streamOutcome, type CallBasics } from './outcome';
import { AnthropicStreamState } from './stream-state';
import type { AnthropicCreateParams, AnthropicMessage, AnthropicStreamEvent } from './types';

/**
 * The `Messages` prototypes reachable from one copy of the SDK (its exports, or the `Anthropic`
 * class handed over in `modules.anthropic`): `Anthropic.Messages` and `Anthropic.Beta.Messages`.
 */
export function anthropicMessagesPrototypes(exports: unknown): object[] {
  const out = new Set<object>();
  const rec = (exports ?? {}) as Record<string, any>;
  const classes = [exports, rec.Anthropic, rec.default, rec.default?.Anthropic];
  for (const C of classes) {
    if (!C || (typeof C !== 'function' && typeof C !== 'object')) continue;
    for (const M of [C.Messages, C.Beta?.Messages]) {
      if (typeof M === 'function' && M.prototype && typeof M.prototype.create === 'function') out.add(M.prototype);
    }
  }
  return [...out];
}

/**
 * Patches `messages.create` (which `messages.stream()` and `messages.parse()` call) of every copy
 * of `@anthropic-ai/sdk` it can reach (CommonJS, ESM, `modules.anthropic`), standard and beta, so
 * clients created before or after `payiInstrument()` are instrumented. Returns the undo, or
 * `undefined` when the SDK is not installed.
 *
 * @example
 * ```ts
 * const undo = instrumentAnthropic(hub);
 * undo?.();
 * ```
 */
export function instrumentAnthropic(hub: InstrumentationHub): Unpatch | undefined {
  const logger = safeLogger(hub.logger);
  return instrumentModuleCopies(catalogueEntry('anthropic').packageName, { given: hub.settings.modules.anthropic, logger }, (copy) => {
    const undos: Unpatch[] = [];
    for (const proto of anthropicMessagesPrototypes(copy.exports)) {
      const undo = patchMethod(proto, 'create', (original) => makeCreateWrapper(original, hub, copy.exports.APIPromise));
      if (undo) undos.push(undo);
    }
    if (undos.length === 0) logger.debug(`payi: @anthropic-ai/sdk found (${copy.file ?? copy.source}), but no Messages class to patch`);
    return undos;
  });
}

/** A `Messages` resource as the adapter sees it (`this` of `create`). */
interface MessagesResource {
  _client?: { baseURL?: string };
}

/** The Anthropic clients recorded, by `instruments` name: the cloud clients are subclasses of `Anthropic` from their own packages. */
type ClientName = 'anthropic' | 'anthropicbedrock' | 'anthropicvertex';
const CLOUD_CLIENTS: Readonly<Record<string, ClientName>> = { AnthropicBedrock: 'anthropicbedrock', AnthropicVertex: 'anthropicvertex' };

/** Which Anthropic client made the call: `AnthropicBedrock`, `AnthropicVertex` (of any copy of their SDKs), else `Anthropic`. */
export function anthropicClientName(client: unknown): ClientName {
  for (let p = client as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    const hit = CLOUD_CLIENTS[(p as { constructor?: { name?: string } }).constructor?.name ?? ''];
    if (hit) return hit;
  }
  return 'anthropic';
}

/** The category of a client's events, from the catalogue (`system.anthropic`, `system.aws.bedrock`, `system.google.vertex`). */
function categoryOf(name: ClientName): string {
  return catalogueEntry('anthropic').instruments.find((i) => i.name === name)?.category ?? PayiCategories.anthropic;
}

/** The resource of a call (reference-python §4.3): the model; on Vertex AI `anthropic.<model>`. */
function resourceOf(name: ClientName, model: unknown): string | undefined {
  if (typeof model !== 'string' || !model) return undefined;
  return name === 'anthropicvertex' ? `anthropic.${model}` : model;
}

/** Caller `xProxy-*` headers that stay on the request in proxy mode: they address the Pay-i proxy, not attribution. */
const PROXY_KEEP: ReadonlySet<string> = new Set(['xproxy-api-key', 'xproxy-provider-baseuri']);

type CreateFn = (this: unknown, ...args: unknown[]) => unknown;

const isStream = (data: unknown): boolean =>
  data !== null && typeof data === 'object' && typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' && 'controller' in data;

/**
 * Builds the replacement of `Messages.prototype.create` (and of the beta `Messages`): it resolves
 * the call's attribution, refuses a call over a blocked limit (`enforceLimits`), strips the
 * caller's `xProxy-*` headers (ingest mode) or puts the frame's in (proxy mode), calls the
 * original, and returns the SDK's own `APIPromise` class (`apiPromiseClass`, when known, also
 * carries a refusal), observed: the message, the `Stream`
 * (wrapped into a `Stream` of the same class) or the error reach the caller unchanged, and one
 * event is recorded. Any fault of the adapter is logged and the call goes on uninstrumented.
 *
 * @example
 * ```ts
 * patchMethod(Anthropic.Messages.prototype, 'create', (original) => makeCreateWrapper(original, hub));
 * ```
 */
export function makeCreateWrapper(original: CreateFn, hub: InstrumentationHub, apiPromiseClass?: unknown): CreateFn {
  const log = safeLogger(hub.logger);
  return function payiAnthropicCreate(this: unknown, ...args: unknown[]): unknown {
    const params = (args[0] ?? {}) as AnthropicCreateParams;
    const options = args[1] as { headers?: unknown } | undefined;
    let recorder: CallRecorder | undefined;
    let clientName: ClientName = 'anthropic';
    let callArgs = args;
    try {
      clientName = anthropicClientName((this as MessagesResource | undefined)?._client);
      recorder = hub.settings.instruments.has(clientName) ? hub.beginCall(categoryOf(clientName), options?.headers) : undefined;
      if (recorder) {
        recorder.noteRequest(params);
        const rewritten = rewriteCallHeaders(options, recorder.proxy ? { add: recorder.proxyHeaders(), keep: PROXY_KEEP } : {});
        if (rewritten !== options) callArgs = [args[0], rewritten, ...args.slice(2)];
        recorder.assertNotBlocked();
      }
    } catch (err) {
      if (err instanceof PayiLimitBlockedError) return refuse(err, this as MessagesResource, apiPromiseClass);
      log.warn({ err }, 'payi: preparing an Anthropic call for instrumentation failed; the call is not instrumented');
      recorder = undefined;
      callArgs = args;
    }
    const promise = original.apply(this, callArgs);
    if (!recorder || recorder.proxy) return promise;
    try {
      const keepJson = recorder.keepsJson;
      return observe(promise, this as MessagesResource, recorder, { params, keepJson }, resourceOf(clientName, params.model));
    } catch (err) {
      log.warn({ err }, 'payi: observing an Anthropic call failed; the call is not instrumented');
      return promise;
    }
  };
}

/**
 * A refused call (`enforceLimits`): an `APIPromise` of the SDK that rejects with the error, so
 * `await`, `.then()` and `.withResponse()` all see it; a plain throw when the class is unknown.
 */
function refuse(err: PayiLimitBlockedError, resource: MessagesResource, apiPromiseClass: unknown): unknown {
  if (typeof apiPromiseClass !== 'function' || !resource?._client) throw err;
  const rejected = Promise.reject(err);
  rejected.catch(() => undefined);
  try {
    return new (apiPromiseClass as new (client: unknown, response: Promise<unknown>) => unknown)(resource._client, rejected);
  } catch {
    throw err;
  }
}

function observe(promise: unknown, resource: MessagesResource, recorder: CallRecorder, call: CallBasics, modelResource: string | undefined): unknown {
  const client = resource?._client;
  const params = call.params;
  if (modelResource) call.resource = modelResource;
  if (typeof client?.baseURL === 'string') call.providerUri = client.baseURL;
  return observeApiPromise(promise, client, {
    keepBodyText: call.keepJson !== false && params.stream !== true,
    onData(data, response, bodyText) {
      if (isStream(data)) {
        const state = new AnthropicStreamState(call.keepJson !== false);
        return wrapStream(data, client, {
          onChunk(event) {
            state.add(event as AnthropicStreamEvent);
            recorder.markFirstToken(); // the first event; the first content delta is firstCompletionTokenAt
            recorder.noteChunk(event);
          },
          onDone(outcome, error) {
            const o = streamOutcome(call, state, response, failedOrAbandoned(outcome, error), error);
            letGo(state.events);
            void recorder.finish(o);
          },
        });
      }
      const message = data as AnthropicMessage;
      const pending = recorder.finish(messageOutcome(call, message, response, bodyText));
      if (!pending) return data;
      return pending.then((result) => attachXproxyResult(data, result));
    },
    onError(error) {
      void recorder.finish(errorOutcome(call, error));
    },
    onRawResponse(response) {
      void recordRawResponse(recorder, call, response, params.stream === true);
    },
  });
}

/**
 * The SDK's stream aborts its own controller in a `finally` before a read error reaches the
 * wrapper, so a broken stream can be reported `abandoned` with its error. A caller's abort never
 * throws (the SDK ends the loop quietly): an error that is not an abort means the stream failed.
 */
function failedOrAbandoned(outcome: StreamOutcome, error: unknown): StreamOutcome {
  if (outcome !== 'abandoned' || error === undefined) return outcome;
  const name = (error as { name?: unknown; constructor?: { name?: string } } | null)?.constructor?.name;
  const isAbort = (error as { name?: unknown } | null)?.name === 'AbortError' || name === 'APIUserAbortError';
  return isAbort ? 'abandoned' : 'failed';
}

/** Inline mode: the service's answer, readable as `message.xproxy_result` (not enumerable, so the message's JSON is unchanged). */
function attachXproxyResult(data: unknown, result: XproxyResult | undefined): unknown {
  if (result && data !== null && typeof data === 'object') {
    Object.defineProperty(data, 'xproxy_result', { value: result, enumerable: false, writable: true, configurable: true });
  }
  return data;
}

/** The caller took the raw `Response` (`.asResponse()`): usage from a clone of a JSON body; a stream is recorded without units. */
async function recordRawResponse(recorder: CallRecorder, call: CallBasics, response: Response, streamed: boolean): Promise<void> {
  let message: AnthropicMessage = {};
  if (!streamed && response.ok) {
    try {
      message = (await response.clone().json()) as AnthropicMessage;
    } catch {
      /* an unreadable body is recorded without units */
    }
  }
  await recorder.finish(messageOutcome(call, message, response));
}
