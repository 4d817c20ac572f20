/**
 * Helpers for the Stainless-generated provider SDKs (`openai`, `@anthropic-ai/sdk`): observe an
 * `APIPromise` and a `Stream` without changing what the caller gets, and rewrite the per-call
 * request headers without mutating the caller's options. Nothing here is specific to one provider.
 */
import { isPayiHeader } from '../../src/headers/attribution';
import { safeExecute } from '../../src/internal/logger';
import { tapBodyText } from './body-text';

/** How a streamed call ended (`properties["system.stream_outcome"]`). */
export type StreamOutcome = 'completed' | 'abandoned' | 'failed';

/** Hooks of {@link observeApiPromise}. Each runs behind a try/catch: a throw is logged, never raised. */
export interface ApiPromiseHooks {
  /**
   * The parsed result, before the caller gets it. Returns what the caller gets instead (e.g. a
   * wrapped `Stream`, or the same object after attaching `xproxy_result`), or a promise of it.
   * If it throws or its promise rejects, the caller gets the original `data`. `bodyText`: the
   * JSON body's text the SDK parsed `data` from, when {@link keepBodyText} asked for it and the
   * SDK read one (`./body-text`).
   */
  onData(data: unknown, response: Response, bodyText?: string): unknown;
  /** Keep the text of the JSON body the SDK parses (for `provider_response_json`), read once with it. */
  readonly keepBodyText?: boolean;
  /** The request failed with `error`, which the caller gets unchanged. */
  onError(error: unknown): void;
  /** The caller read the raw `Response` with `.asResponse()` and did not ask for the parsed result. */
  onRawResponse?(response: Response): void;
}

type StainlessPromise = Promise<unknown> & {
  responsePromise?: Promise<{ response: Response }>;
  parseResponse?: (client: unknown, props: { response: Response }) => unknown;
  asResponse?: () => Promise<Response>;
  _thenUnwrap?: (fn: (data: unknown, props: { response: Response }) => unknown) => unknown;
};

function runHook(what: string, fn: () => void): void {
  safeExecute(what, fn, undefined);
}

function applyOnData(hooks: ApiPromiseHooks, data: unknown, response: Response, bodyText?: string): unknown {
  try {
    const out = hooks.onData(data, response, bodyText);
    if (out && typeof (out as PromiseLike<unknown>).then === 'function') {
      return Promise.resolve(out).catch((err: unknown) => {
        runHook('recording a provider response', () => {
          throw err;
        });
        return data;
      });
    }
    return out;
  } catch (err) {
    runHook('recording a provider response', () => {
      throw err;
    });
    return data;
  }
}

/**
 * Observes a Stainless `APIPromise` in place and returns it: it resolves and rejects exactly as
 * before (same data, same error objects; `.withResponse()`, `.asResponse()` and `._thenUnwrap()`
 * keep working, and so do the SDK's helpers that chain on it) while `hooks` are called on the
 * parsed data, on failure, and on a raw `.asResponse()`. Only the promise's own `responsePromise`
 * and `parseResponse` are replaced by observing ones, before the caller sees it, so no second
 * `APIPromise` and no extra async step is made per call. `client` is the SDK client the resource
 * belongs to (`resource._client`). When the promise does not have the expected Stainless shape it
 * is returned unchanged and no hook is called.
 *
 * @example
 * ```ts
 * const p = original.call(this, body, options);
 * return observeApiPromise(p, this._client, {
 *   onData: (data, response) => { recorder.finish(outcomeOf(data, response)); return data; },
 *   onError: (err) => recorder.finish(errorOutcome(err)),
 * });
 * ```
 */
export function observeApiPromise<P>(promise: P, client: unknown, hooks: ApiPromiseHooks): P {
  const p = promise as unknown as StainlessPromise;
  const responsePromise = p?.responsePromise;
  const parseResponse = p?.parseResponse;
  if (!responsePromise || typeof responsePromise.then !== 'function' || typeof parseResponse !== 'function' || !client) return promise;
  // openai 7 gives each promise its own `_thenUnwrap` and `withResponse`, closed over the original
  // parse (so `.parse()` and the stream helpers never read `parseResponse`): observe a new one.
  if (Object.prototype.hasOwnProperty.call(p, '_thenUnwrap')) return observeAsNewPromise(p, client, hooks) as unknown as P;
  const o = observers(parseResponse, hooks);
  const observingParse = o.parse;
  const failed = o.failed;
  // A frozen or otherwise read-only promise is left as it is (assignments throw in strict mode).
  try {
    p.parseResponse = observingParse;
  } catch {
    return promise;
  }
  if (p.parseResponse !== observingParse) return promise;
  try {
    p.responsePromise = responsePromise.then(undefined, failed);
  } catch {
    p.parseResponse = parseResponse;
    return promise;
  }
  observeRawResponse(p, hooks, o.started);
  return promise;
}

/**
 * The older way of {@link observeApiPromise}, for promises whose helpers do not read their own
 * `parseResponse`: a new `APIPromise` of the same class over an observed response promise and an
 * observing parse. It costs a second promise and an async step per call.
 */
function observeAsNewPromise(p: StainlessPromise, client: unknown, hooks: ApiPromiseHooks): StainlessPromise {
  const Ctor = (p as { constructor?: unknown }).constructor as (new (...a: unknown[]) => StainlessPromise) | undefined;
  const responsePromise = p.responsePromise!;
  const parseResponse = p.parseResponse!;
  if (typeof Ctor !== 'function') return p;
  const o = observers(parseResponse, hooks);
  const observedResponse = responsePromise.then(undefined, o.failed);
  const parse = o.parse;
  const out = new Ctor(client, observedResponse, parse);
  observeRawResponse(out, hooks, o.started);
  return out;
}

/** The observing parse and failure handler both ways of observing share (one call each). */
function observers(parseResponse: NonNullable<StainlessPromise['parseResponse']>, hooks: ApiPromiseHooks): { failed: (err: unknown) => never; parse: (this: unknown, c: unknown, props: { response: Response }) => unknown; started: () => boolean } {
  let parseStarted = false;
  const failed = (err: unknown): never => {
    runHook('recording a failed provider call', () => hooks.onError(err));
    throw err;
  };
  const parse = function payiParseResponse(this: unknown, c: unknown, props: { response: Response }): unknown {
    parseStarted = true;
    const tap = hooks.keepBodyText ? tapBodyText(props?.response) : undefined;
    let parsed: unknown;
    try {
      parsed = parseResponse.call(this, c, props);
    } catch (err) {
      tap?.release();
      return failed(err);
    }
    return Promise.resolve(parsed).then(
      (data) => {
        tap?.release();
        return applyOnData(hooks, data, props.response, tap?.text);
      },
      (err: unknown) => {
        tap?.release();
        return failed(err);
      },
    );
  };
  return { failed, parse, started: () => parseStarted };
}

/** Makes a bare `.asResponse()` on `p` call `hooks.onRawResponse` (not when the parsed result was asked for). */
function observeRawResponse(p: StainlessPromise, hooks: ApiPromiseHooks, parseStarted: () => boolean): void {
  const asResponse = p.asResponse;
  if (!hooks.onRawResponse || typeof asResponse !== 'function') return;
  Object.defineProperty(p, 'asResponse', {
    configurable: true,
    writable: true,
    value: function payiAsResponse(this: StainlessPromise): Promise<Response> {
      const r = asResponse.call(this);
      // `.withResponse()` asks for the parsed result first: only a bare `.asResponse()` is raw.
      r.then(
        (response) => {
          if (!parseStarted()) runHook('recording a raw provider response', () => hooks.onRawResponse?.(response));
        },
        () => undefined,
      );
      return r;
    },
  });
}

/** Hooks of {@link wrapStream}. Each runs behind a try/catch: a throw is logged, never raised. */
export interface StreamHooks<Item> {
  /**
   * Optional, first for every item: what it returns replaces the item for `onChunk` and for the
   * caller (e.g. a copy without a key the caller did not ask for). If it throws, the item passes as it came.
   */
  replace?(chunk: Item): Item;
  /** Every item as it arrives; return `false` to hide it from the caller. */
  onChunk(chunk: Item): boolean | void;
  /** Once: the stream ended (`completed`), the caller stopped reading or aborted (`abandoned`), or it broke (`failed`, with the error). */
  onDone(outcome: StreamOutcome, error?: unknown): void;
}

type StainlessStream<Item> = AsyncIterable<Item> & { controller?: AbortController };

/**
 * Wraps a Stainless `Stream` into a new `Stream` of the same class, so `tee()`,
 * `toReadableStream()`, `controller` and early `break` keep working: items pass through as they
 * arrive (never buffered), `hooks.onChunk` sees each one (and may hide it), and `hooks.onDone` runs
 * once when the stream ends, is left early, is aborted, or fails. Errors reach the caller unchanged.
 * Returns `stream` itself when it does not have the expected shape.
 *
 * @example
 * ```ts
 * return wrapStream(stream, this._client, {
 *   onChunk: (chunk) => { accumulate(chunk); return !isUsageOnly(chunk); },
 *   onDone: (outcome, err) => recorder.finish(streamOutcome(outcome, err)),
 * });
 * ```
 */
export function wrapStream<S>(stream: S, client: unknown, hooks: StreamHooks<unknown>): S {
  const s = stream as unknown as StainlessStream<unknown>;
  const Ctor = (s as { constructor?: unknown } | null)?.constructor as (new (...a: unknown[]) => S) | undefined;
  if (typeof Ctor !== 'function' || !s || typeof s[Symbol.asyncIterator] !== 'function' || !s.controller) return stream;
  const controller = s.controller;
  let done = false;
  const finish = (outcome: StreamOutcome, error?: unknown): void => {
    if (done) return;
    done = true;
    runHook('recording a provider stream', () => hooks.onDone(outcome, error));
  };
  const replace = hooks.replace?.bind(hooks);
  const iterator = (): AsyncIterator<unknown> => {
    const inner = s[Symbol.asyncIterator]();
    // One `then` per item and no per-item closures: the handlers are made once per stream.
    const onError = (err: unknown): never => {
      // The SDK aborts its controller on any early exit, so only the error tells a failure from
      // the caller's abort.
      finish(isAbortError(err) ? 'abandoned' : 'failed', err);
      throw err;
    };
    const onResult = (r: IteratorResult<unknown>): IteratorResult<unknown> | Promise<IteratorResult<unknown>> => {
      if (r.done) {
        finish(controller.signal.aborted ? 'abandoned' : 'completed');
        return r;
      }
      let show: boolean | void = true;
      if (replace) {
        try {
          (r as { value: unknown }).value = replace(r.value);
        } catch (err) {
          runHook('replacing a stream chunk', () => {
            throw err;
          });
        }
      }
      try {
        show = hooks.onChunk(r.value);
      } catch (err) {
        runHook('recording a stream chunk', () => {
          throw err;
        });
      }
      return show !== false ? r : next();
    };
    const next = (): Promise<IteratorResult<unknown>> => inner.next().then(onResult, onError);
    return {
      next,
      async return(value?: unknown): Promise<IteratorResult<unknown>> {
        finish('abandoned');
        if (typeof inner.return === 'function') return inner.return(value);
        return { done: true, value };
      },
    };
  };
  return new Ctor(iterator, controller, client);
}

function isAbortError(err: unknown): boolean {
  const e = err as { name?: unknown; constructor?: { name?: string } } | null;
  return !!e && (e.name === 'AbortError' || e.constructor?.name === 'APIUserAbortError');
}

/** A per-call header bag as the Stainless SDKs accept it. */
type HeadersLike = Headers | readonly (readonly [string, string | null | undefined])[] | Record<string, unknown> | null | undefined;

/** What {@link rewriteCallHeaders} changes. */
export interface HeaderRewrite {
  /** Headers to put in (proxy mode: the call's `xProxy-*` attribution headers). */
  add?: Record<string, string>;
  /** `xProxy-*` headers of the caller to keep (lower-case names), e.g. `xproxy-api-key` in proxy mode. */
  keep?: ReadonlySet<string>;
  /** Header names to set to `null` (the SDKs read it as "do not send"), e.g. the client's default `xProxy-*` headers. */
  clear?: readonly string[];
}

/**
 * Returns request options whose `headers` have the `xProxy-*` headers removed (except `keep`)
 * and `add` put in, without mutating the caller's object. Returns `options` itself when there is
 * nothing to change.
 *
 * @example
 * ```ts
 * const opts = rewriteCallHeaders(options, recorder.proxy ? { add: recorder.proxyHeaders() } : {});
 * ```
 */
export function rewriteCallHeaders<O>(options: O, change: HeaderRewrite = {}): O {
  const opts = options as unknown as { headers?: HeadersLike } | undefined | null;
  const entries = headerPairs(opts?.headers);
  const drop = (k: string): boolean => isPayiHeader(k) && !change.keep?.has(k.toLowerCase());
  const hasPayi = entries.some(([k]) => drop(k));
  const add = change.add ?? {};
  const clear = (change.clear ?? []).filter(drop);
  if (!hasPayi && Object.keys(add).length === 0 && clear.length === 0) return options;
  const out: Record<string, string | null> = {};
  for (const name of clear) out[name] = null;
  for (const [k, v] of entries) if (!drop(k)) out[k] = v;
  for (const [k, v] of Object.entries(add)) out[k] = v;
  return { ...(opts ?? {}), headers: out } as unknown as O;
}

function headerPairs(headers: HeadersLike): [string, string | null][] {
  const out: [string, string | null][] = [];
  if (!headers) return out;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach((v, k) => out.push([k, v]));
  } else if (Array.isArray(headers)) {
    for (const pair of headers) if (Array.isArray(pair) && pair[1] !== undefined) out.push([String(pair[0]), pair[1] === null ? null : String(pair[1])]);
  } else if (typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) continue;
      out.push([k, v === null ? null : Array.isArray(v) ? v.join(', ') : String(v)]);
    }
  }
  return out;
}

/** The names of the `xProxy-*` headers among a client's default headers (to clear them per call). */
export function payiHeaderNames(headers: unknown): string[] {
  return headerPairs(headers as HeadersLike)
    .map(([k]) => k)
    .filter(isPayiHeader);
}
