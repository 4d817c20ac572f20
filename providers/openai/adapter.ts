import { PayiLimitBlockedError } from '../../src/errors';
import { PayiHeaderNames } from '../../src/headers/names';
import type { AdapterOutcome } from '../../src/recording/recorder';
import { failureFields } from '../shared/failure';
import { patchMethod } from '../shared/patch';
import { instrumentModuleCopies } from '../shared/resolve-module';
import { safeJson } from '../shared/safe-json';
import { expectSentBody, watchSentBodies } from '../shared/sent-body';
import { tapSseBody, type SseItemRule } from '../shared/sse-tap';
import { promisesAreCheap } from '../../src/internal/runtime';
import { catalogueEntry } from '../registry';
import { observeApiPromise, payiHeaderNames, rewriteCallHeaders, wrapStream, type StreamOutcome } from '../shared/stainless';
import type { InstrumentationHub, Unpatch } from '../../src/recording/types';
import { chatStreamAccumulator, responsesStreamAccumulator, withoutNullUsage, type StreamAccumulator } from './stream-state';
import { base, errorOutcome, successOutcome, type ClientLike, type Prepared } from './outcome';
import type { OpenAICallKind, OpenAIRequestBody } from './types';

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;
type PromiseCtor = new (client: unknown, responsePromise: Promise<unknown>) => Promise<unknown>;

/** `xProxy-*` headers that are not attribution: kept on the request in proxy mode. */
const KEEP_IN_PROXY = new Set([PayiHeaderNames.providerBaseUri, PayiHeaderNames.apiKey, PayiHeaderNames.instrumentedModule].map((h) => h.toLowerCase()));

/**
 * Patches `create` of chat `Completions`, `Responses` and `Embeddings` in every copy of `openai`
 * the application uses (CommonJS and ESM builds, or `settings.modules.openai`), each when it is
 * loaded (see `instrumentModuleCopies`), so clients created before or after `payiInstrument()` are
 * instrumented. `.parse()`, `.stream()` and
 * `responses.stream()` go through `create` and are recorded once. Returns the undo, or
 * `undefined` when `openai` is not installed.
 *
 * @example
 * ```ts
 * const undo = instrumentOpenAI(hub);
 * undo?.();
 * ```
 */
export function instrumentOpenAI(hub: InstrumentationHub): Unpatch | undefined {
  return instrumentModuleCopies(catalogueEntry('openai').packageName, { given: hub.settings.modules.openai, logger: hub.logger }, (copy) => {
    const undos: Unpatch[] = [];
    const OpenAI = openaiClassOf(copy.exports);
    if (!OpenAI) return undos;
    const APIPromise = (copy.exports as { APIPromise?: unknown }).APIPromise as PromiseCtor | undefined;
    const targets: [OpenAICallKind, unknown][] = [
      ['chat', OpenAI.Chat?.Completions?.prototype],
      ['responses', OpenAI.Responses?.prototype],
      ['embeddings', OpenAI.Embeddings?.prototype],
    ];
    const sentBodies = typeof (OpenAI as { prototype?: unknown }).prototype === 'object' ? watchSentBodies((OpenAI as { prototype: object }).prototype) : undefined;
    if (sentBodies) undos.push(sentBodies);
    for (const [kind, proto] of targets) {
      if (!proto || typeof proto !== 'object') continue;
      const undo = patchMethod(proto, 'create', (original) => instrumentedCreate(kind, original, hub, APIPromise));
      if (undo) undos.push(undo);
    }
    return undos;
  });
}

interface OpenAIClassLike {
  Chat?: { Completions?: { prototype?: unknown } };
  Responses?: { prototype?: unknown };
  Embeddings?: { prototype?: unknown };
}

/** The `OpenAI` class of a module (its namespace, its default export, or the class itself). */
function openaiClassOf(mod: unknown): OpenAIClassLike | undefined {
  const candidates = [mod, (mod as { OpenAI?: unknown })?.OpenAI, (mod as { default?: unknown })?.default];
  for (const c of candidates) if (typeof c === 'function' && (c as OpenAIClassLike).Chat) return c as OpenAIClassLike;
  return undefined;
}

/** Per client prototype, whether it is an `AzureOpenAI` one (the chain is walked once per class, not per call). */
const azureByPrototype = new WeakMap<object, boolean>();

/** True for an `AzureOpenAI` client (of any copy of the SDK). */
export function isAzureClient(client: unknown): boolean {
  if (client === null || (typeof client !== 'object' && typeof client !== 'function')) return false;
  const proto = Object.getPrototypeOf(client) as object | null;
  const known = proto ? azureByPrototype.get(proto) : undefined;
  if (known !== undefined) return known;
  let azure = false;
  for (let p = client as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === 'AzureOpenAI') {
      azure = true;
      break;
    }
  }
  if (proto && !Object.prototype.hasOwnProperty.call(client, 'constructor')) azureByPrototype.set(proto, azure);
  return azure;
}

function instrumentedCreate(kind: OpenAICallKind, original: AnyFn, hub: InstrumentationHub, APIPromise: PromiseCtor | undefined): AnyFn {
  return function payiCreate(this: unknown, ...args: unknown[]): unknown {
    let call: Prepared | { refusal: unknown } | { args: unknown[] } | undefined;
    try {
      call = prepare(kind, this as { _client?: ClientLike }, args, hub, APIPromise);
    } catch (err) {
      hub.logger.warn({ err }, 'payi: preparing an OpenAI call failed; the call is not instrumented');
      call = undefined;
    }
    if (!call) return original.apply(this, args);
    if ('refusal' in call) return call.refusal;
    const result = original.apply(this, call.args);
    if (!('recorder' in call)) return result;
    try {
      return observe(call, result);
    } catch (err) {
      hub.logger.warn({ err }, 'payi: observing an OpenAI call failed; the call is not instrumented');
      return result;
    }
  };
}

function prepare(
  kind: OpenAICallKind,
  self: { _client?: ClientLike } | undefined,
  args: unknown[],
  hub: InstrumentationHub,
  APIPromise: PromiseCtor | undefined,
): Prepared | { refusal: unknown } | { args: unknown[] } | undefined {
  const client = self?._client;
  const azure = isAzureClient(client);
  if (!hub.settings.instruments.has(azure ? 'azureopenai' : 'openai')) return undefined;
  const [body, options, ...rest] = args as [OpenAIRequestBody | undefined, { headers?: unknown; __metadata?: { helperMethod?: unknown } } | undefined, ...unknown[]];
  const recorder = hub.beginCall(azure ? 'system.azureopenai' : 'system.openai', options?.headers);
  if (!recorder) return undefined;
  try {
    recorder.assertNotBlocked();
  } catch (err) {
    if (err instanceof PayiLimitBlockedError) return { refusal: rejected(APIPromise, client, err) };
    throw err;
  }
  if (recorder.proxy) {
    return { args: [body, rewriteCallHeaders(options, { add: recorder.proxyHeaders(), keep: KEEP_IN_PROXY }), ...rest] };
  }
  const newOptions = rewriteCallHeaders(options, { clear: payiHeaderNames(client?._options?.defaultHeaders) });
  const stream = body?.stream === true;
  let newBody = body;
  let hideUsageChunk = false;
  if (kind === 'chat' && stream && body?.stream_options?.include_usage !== true) {
    newBody = { ...body, stream_options: { ...(body?.stream_options ?? {}), include_usage: true } };
    hideUsageChunk = true;
  }
  recorder.noteRequest(body);
  const keepJson = recorder.keepsJson;
  const p: Prepared = { kind, recorder, client, azure, args: [newBody, newOptions, ...rest], hideUsageChunk, keepJson, stream };
  const model = typeof body?.model === 'string' && body.model ? body.model : azure ? client?.deploymentName : undefined;
  if (model) p.model = model;
  if (keepJson) {
    // Sent as it is: the SDK's own JSON of it is taken when the outcome is built (requestJsonOf).
    if (newBody === body && body !== null && typeof body === 'object') {
      p.body = body;
      expectSentBody(body);
    } else p.requestJson = safeJson(body);
  }
  return p;
}

/** A rejected promise of the SDK's own `APIPromise` class (so `.withResponse()` and `.parse()` chains still work). */
function rejected(APIPromise: PromiseCtor | undefined, client: unknown, err: Error): unknown {
  const reason = Promise.reject(err);
  reason.catch(() => undefined);
  if (typeof APIPromise === 'function' && client) {
    try {
      return new APIPromise(client, reason);
    } catch {
      /* fall through */
    }
  }
  return reason;
}

function observe(call: Prepared, result: unknown): unknown {
  const { recorder } = call;
  return observeApiPromise(result, call.client, {
    // embeddings: the SDK asks for base64 and decodes it; the caller's floats are logged, as the caller got them
    keepBodyText: call.keepJson && !call.stream && call.kind !== 'embeddings',
    onData: (data, response, bodyText) => {
      if (call.stream && isStream(data)) return observeStream(call, data, response);
      const done = recorder.finish(successOutcome(call, data, response, bodyText));
      if (!done) return data;
      return done.then((xproxy) => {
        if (xproxy && data && typeof data === 'object') {
          Object.defineProperty(data, 'xproxy_result', { value: xproxy, enumerable: false, configurable: true, writable: true });
        }
        return data;
      });
    },
    onError: (err) => void recorder.finish(errorOutcome(call, err)),
    onRawResponse: (response) => {
      if (call.stream) {
        void recorder.finish({ ...base(call, response), units: {} });
        return;
      }
      response
        .clone()
        .json()
        .then(
          (data: unknown) => recorder.finish(successOutcome(call, data, response)),
          () => recorder.finish({ ...base(call, response), units: {} }),
        )
        .catch(() => undefined);
    },
  });
}

function isStream(data: unknown): boolean {
  return !!data && typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' && !!(data as { controller?: unknown }).controller;
}

/** The SSE events the SDK turns into chat chunks: every `data` up to `[DONE]`. */
const CHAT_SSE: SseItemRule = {
  yields: () => true,
  ends: (_event, data) => data.startsWith('[DONE]'),
};

function observeStream(call: Prepared, stream: unknown, response: Response): unknown {
  const chat = call.kind !== 'responses';
  const acc: StreamAccumulator = chat ? chatStreamAccumulator(call.hideUsageChunk, call.keepJson) : responsesStreamAccumulator(call.keepJson);
  // Chat: the chunks' JSON is taken from the bytes the SDK reads, not serialised again, where an
  // extra promise per body chunk is cheap (not where AsyncLocalStorage installs promise hooks).
  const tap = chat && call.keepJson && promisesAreCheap() ? tapSseBody(response) : undefined;
  const { recorder } = call;
  return wrapStream(stream, call.client, {
    // The caller did not ask for usage: the API's `usage: null` on every other chunk goes too.
    ...(call.hideUsageChunk ? { replace: withoutNullUsage } : {}),
    onChunk: (chunk) => {
      recorder.markFirstToken();
      recorder.noteChunk(chunk);
      return acc.add(chunk);
    },
    onDone: (outcome: StreamOutcome, err?: unknown) => {
      // Only a completed stream: one left early may have read more than the caller saw.
      const s = acc.summary(tap && outcome === 'completed' ? tap.arrayJson(CHAT_SSE, acc.count) : undefined);
      tap?.close();
      const o: AdapterOutcome = { ...base(call, response, s.model), units: s.units, properties: { 'system.stream_outcome': outcome } };
      if (s.responseId) o.responseId = s.responseId;
      if (s.firstContentAt !== undefined) o.firstCompletionTokenAt = s.firstContentAt;
      if (s.responseJson !== undefined) o.responseJson = s.responseJson;
      if (s.functionCalls.length > 0) o.functionCalls = s.functionCalls;
      if (outcome === 'failed') {
        const f = failureFields(err);
        o.httpStatusCode = f.httpStatusCode;
        o.properties = { ...f.properties, 'system.stream_outcome': outcome };
      }
      void recorder.finish(o);
    },
  });
}
