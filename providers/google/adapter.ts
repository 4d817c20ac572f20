import { PayiLimitBlockedError } from '../../src/errors';
import type { XproxyResult } from '../../src/events/types';
import { PayiCategories, PayiHeaderNames } from '../../src/headers/names';
import { letGo } from '../../src/internal/let-go';
import { safeExecute, safeLogger } from '../../src/internal/logger';
import type { CallRecorder } from '../../src/recording/recorder';
import type { InstrumentationHub, Unpatch } from '../../src/recording/types';
import { catalogueEntry } from '../registry';
import { observedNext } from '../shared/observe-next';
import { patchMethod } from '../shared/patch';
import { instrumentModuleCopies } from '../shared/resolve-module';
import type { StreamOutcome } from '../shared/stainless';
import { embedOutcome, errorOutcome, requestJsonOf, responseOutcome, streamOutcome, type GeminiCall } from './outcome';
import { GeminiStreamState } from './stream-state';
import type { GeminiApiClient, GeminiCallKind, GeminiEmbedResponse, GeminiParams, GeminiResponse } from './types';

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The `Models` methods that make the HTTP calls. The public `generateContent`,
 * `generateContentStream` and `embedContent` are per-instance arrow functions that call these
 * prototype methods (once per request: automatic function calling and continuations make several),
 * and chats call `generateContent`, so patching these sees every request of every client.
 */
const METHODS: readonly [string, GeminiCallKind][] = [
  ['generateContentInternal', 'generate'],
  ['generateContentStreamInternal', 'stream'],
  ['embedContentInternal', 'embed'],
];

/** Caller `xProxy-*` headers that stay on the request in proxy mode: they address the Pay-i proxy, not attribution. */
const PROXY_KEEP: ReadonlySet<string> = new Set([PayiHeaderNames.apiKey, PayiHeaderNames.providerBaseUri].map((h) => h.toLowerCase()));

/** The `Models` class of one copy of the SDK (its module namespace, or an object handed over in `modules.google`). */
function modelsClassOf(exports: unknown): { prototype: object } | undefined {
  const rec = (exports ?? {}) as Record<string, any>;
  for (const M of [rec.Models, rec.default?.Models]) if (typeof M === 'function' && typeof M.prototype?.generateContentInternal === 'function') return M;
  return undefined;
}

/**
 * Patches `Models.prototype.generateContentInternal`, `generateContentStreamInternal` and
 * `embedContentInternal` of every copy of `@google/genai` it can reach (CommonJS, ESM,
 * `modules.google`), for Gemini API and Vertex AI (`vertexai: true`) clients created before or after
 * `payiInstrument()`. Returns the undo, or `undefined` when the SDK is not installed.
 *
 * @example
 * ```ts
 * const undo = instrumentGoogle(hub);
 * undo?.();
 * ```
 */
export function instrumentGoogle(hub: InstrumentationHub): Unpatch | undefined {
  const logger = safeLogger(hub.logger);
  return instrumentModuleCopies(catalogueEntry('google').packageName, { given: hub.settings.modules.google, logger }, (copy) => {
    const undos: Unpatch[] = [];
    const Models = modelsClassOf(copy.exports);
    if (!Models) return undos;
    for (const [name, kind] of METHODS) {
      const undo = patchMethod(Models.prototype, name, (original) => makeWrapper(kind, original, hub));
      if (undo) undos.push(undo);
    }
    return undos;
  });
}

interface Prepared {
  call: GeminiCall;
  recorder: CallRecorder;
  args: unknown[];
}

function makeWrapper(kind: GeminiCallKind, original: AnyFn, hub: InstrumentationHub): AnyFn {
  const log = safeLogger(hub.logger);
  return function payiGemini(this: unknown, ...args: unknown[]): unknown {
    let prepared: Prepared | undefined;
    try {
      prepared = prepare(kind, this as { apiClient?: GeminiApiClient }, args, hub);
    } catch (err) {
      if (err instanceof PayiLimitBlockedError) return Promise.reject(err);
      log.warn({ err }, 'payi: preparing a Gemini call failed; the call is not instrumented');
      prepared = undefined;
    }
    if (!prepared) return original.apply(this, args);
    const result = original.apply(this, prepared.args);
    if (prepared.recorder.proxy) return result;
    try {
      return observe(prepared, result);
    } catch (err) {
      log.warn({ err }, 'payi: observing a Gemini call failed; the call is not instrumented');
      return result;
    }
  };
}

function prepare(kind: GeminiCallKind, self: { apiClient?: GeminiApiClient } | undefined, args: unknown[], hub: InstrumentationHub): Prepared | undefined {
  const params = (args[0] ?? {}) as GeminiParams;
  const headers = params.config?.httpOptions?.headers;
  const recorder = hub.beginCall(PayiCategories.googleVertex, headers);
  if (!recorder) return undefined;
  recorder.assertNotBlocked();
  const rewritten = rewriteHeaders(headers, recorder.proxy ? recorder.proxyHeaders() : undefined);
  const callArgs = rewritten === headers ? args : [withHeaders(params, rewritten), ...args.slice(1)];
  const keepJson = recorder.keepsJson;
  const call: GeminiCall = { kind, params, keepJson };
  const baseUrl = safeExecute('reading the Gemini base URL', () => self?.apiClient?.getBaseUrl?.(), undefined);
  if (typeof baseUrl === 'string' && baseUrl) call.providerUri = baseUrl.replace(/\/+$/, '');
  if (keepJson) {
    const json = requestJsonOf(params);
    if (json !== undefined) call.requestJson = json;
  }
  return { call, recorder, args: callArgs };
}

/**
 * The per-call headers to send: ingest mode (`add` undefined) drops every `xProxy-*` header;
 * proxy mode keeps the caller's `xProxy-api-key` / `xProxy-Provider-BaseUri` and adds the frame's.
 * Returns `headers` itself when nothing changes.
 */
function rewriteHeaders(headers: Record<string, string> | undefined, add: Record<string, string> | undefined): Record<string, string> | undefined {
  const entries = Object.entries(headers ?? {});
  const drop = entries.filter(([k]) => k.toLowerCase().startsWith('xproxy-') && !(add && PROXY_KEEP.has(k.toLowerCase())));
  if (drop.length === 0 && (!add || Object.keys(add).length === 0)) return headers;
  const out: Record<string, string> = {};
  for (const [k, v] of entries) if (!drop.some(([d]) => d === k)) out[k] = v;
  return { ...out, ...(add ?? {}) };
}

function withHeaders(params: GeminiParams, headers: Record<string, string> | undefined): GeminiParams {
  const config = params.config ?? {};
  return { ...params, config: { ...config, httpOptions: { ...(config.httpOptions ?? {}), headers: headers ?? {} } } };
}

function observe(p: Prepared, result: unknown): unknown {
  const { call, recorder } = p;
  return Promise.resolve(result).then(
    (value) => {
      if (call.kind === 'stream') return observeStream(p, value as AsyncGenerator<GeminiResponse>);
      const outcome = safeExecute('recording a Gemini response', () => (call.kind === 'embed' ? embedOutcome(call, value as GeminiEmbedResponse) : responseOutcome(call, value as GeminiResponse)), undefined);
      const pending = outcome ? safeExecute('recording a Gemini response', () => recorder.finish(outcome), undefined) : undefined;
      if (!pending) return value;
      return pending.then(
        (xproxy) => attachXproxyResult(value, xproxy),
        () => value,
      );
    },
    (err: unknown) => {
      safeExecute('recording a failed Gemini call', () => void recorder.finish(errorOutcome(call, err)), undefined);
      throw err;
    },
  );
}

/** %AsyncIteratorPrototype%: `[Symbol.asyncIterator]()` returning the iterator (and `[Symbol.asyncDispose]` where Node has it). */
const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})())) as object;

const isAbort = (err: unknown): boolean => (err as { name?: unknown } | null)?.name === 'AbortError';

/**
 * The SDK's stream as an async generator of the same chunks, passed through as they arrive, that
 * records the stream once, however it ends: read to the end (`completed`), left early by `return()`
 * (`abandoned`; the source is closed), or broken (`failed`, or `abandoned` for an abort; the error
 * reaches the caller unchanged). Like an `async function*` reading the source: a stream never read
 * records nothing, and after it ended `next()` answers done. Each chunk is seen through
 * {@link observedNext} (one `then` per chunk, where a generator costs about three).
 */
function observeStream(p: Prepared, source: AsyncGenerator<GeminiResponse>): AsyncGenerator<GeminiResponse> {
  const state = new GeminiStreamState(p.call.keepJson);
  let started = false;
  let closed = false;
  const finish = (outcome: StreamOutcome, error?: unknown): void => {
    if (closed) return;
    closed = true;
    safeExecute(
      'recording a Gemini stream',
      () => {
        const o = streamOutcome(p.call, state, outcome, error);
        letGo(state.chunks);
        void p.recorder.finish(o);
      },
      undefined,
    );
  };
  /** Ends the stream early (`return()` or `throw()` by the caller): recorded if it was read, the source closed. */
  const leave = async (outcome: StreamOutcome, error?: unknown): Promise<void> => {
    const read = started && !closed;
    if (!read) {
      closed = true;
      return;
    }
    finish(outcome, error);
    await source.return?.(undefined);
  };
  const next = observedNext(source, 'recording a Gemini stream chunk', {
    item: (chunk) => {
      if (state.add(chunk)) p.recorder.markFirstToken();
    },
    done: () => finish('completed'),
    failed: (err) => finish(isAbort(err) ? 'abandoned' : 'failed', err),
  });
  const iterator = Object.create(AsyncIteratorPrototype) as AsyncGenerator<GeminiResponse>;
  Object.assign(iterator, {
    next(): Promise<IteratorResult<GeminiResponse>> {
      if (closed) return Promise.resolve({ done: true, value: undefined });
      started = true;
      return next();
    },
    async return(value?: unknown): Promise<IteratorResult<GeminiResponse>> {
      await leave('abandoned');
      return { done: true, value: value as undefined };
    },
    async throw(error?: unknown): Promise<IteratorResult<GeminiResponse>> {
      await leave(isAbort(error) ? 'abandoned' : 'failed', error);
      throw error;
    },
  });
  return iterator;
}

/** Inline mode: the service's answer, readable as `response.xproxy_result` (not enumerable, so the response's JSON is unchanged). */
function attachXproxyResult(value: unknown, result: XproxyResult | undefined): unknown {
  if (result && value !== null && typeof value === 'object') {
    Object.defineProperty(value, 'xproxy_result', { value: result, enumerable: false, writable: true, configurable: true });
  }
  return value;
}
