import { AsyncLocalStorage } from 'node:async_hooks';
import { PayiHeaderNames as H } from '../../src/headers/names';
import { safeExecute } from '../../src/internal/logger';
import type { BedrockClientLike, CallState, HttpRequestLike, HttpResponseLike, ProxyTarget } from './types';

/**
 * The middleware the adapter puts on each `BedrockRuntimeClient`'s own middleware stack. It runs
 * after signing and just before the HTTP handler (step `deserialize`, priority `low`, so inside
 * the SDK's deserializer) on every attempt, and only does something inside an instrumented
 * `send()` (whose state it finds by the command's input, {@link runWithCallState}): it notes the endpoint and request body,
 * rewrites the request to the Pay-i proxy in proxy mode, and notes the raw HTTP answer.
 */

/** The name of the middleware on the stack. */
export const MIDDLEWARE_NAME = 'payiBedrockMiddleware';

/**
 * Per-call state of the instrumented `send()`s now running, by the command's `input` object (the
 * `args.input` every middleware sees). Not an AsyncLocalStorage of its own: before Node 24 each
 * AsyncLocalStorage in use adds to the cost of every promise of the process (a Bedrock stream makes
 * about 1,400; measured: 250 → 460 ns an `await` on Node 22 with a second one), and once used it
 * stays on for the process's life (docs/performance.md, seventh pass).
 */
const statesByInput = new WeakMap<object, CallState>();

/**
 * The state of a call whose input object is already in flight (the same command, or the same
 * input in another command, sent again before the first send ended): carried by this
 * AsyncLocalStorage, switched on only while such calls run and off again after the last.
 */
const reusedCommandState = new AsyncLocalStorage<CallState>();
let reusedInFlight = 0;

async function runReused<T>(state: CallState, call: () => Promise<T>): Promise<T> {
  reusedInFlight++;
  try {
    return await reusedCommandState.run(state, call);
  } finally {
    // the middleware has run by now (it runs before send() settles): nothing reads this store
    // any more, and an idle AsyncLocalStorage would still cost every promise before Node 24
    if (--reusedInFlight === 0) reusedCommandState.disable();
  }
}

/**
 * Runs the SDK's `send` with `state` visible to the middleware for the command's `input`: by that
 * object, or (the same input sent again while in flight, or no input object) in an
 * AsyncLocalStorage switched on only while such calls run. The state is dropped when the call settles.
 *
 * @example
 * ```ts
 * const output = await runWithCallState(command.input, state, () => originalSend(command));
 * ```
 */
export async function runWithCallState<T>(input: unknown, state: CallState, call: () => Promise<T>): Promise<T> {
  const key = input !== null && typeof input === 'object' ? input : undefined;
  if (!key || statesByInput.has(key)) return runReused(state, call);
  statesByInput.set(key, state);
  try {
    return await call();
  } finally {
    statesByInput.delete(key);
  }
}

function stateOf(args: { input?: unknown }): CallState | undefined {
  const own = reusedCommandState.getStore();
  if (own) return own;
  const input = args.input;
  return input !== null && typeof input === 'object' ? statesByInput.get(input) : undefined;
}

const installed = new WeakSet<object>();
const clients = new Set<WeakRef<BedrockClientLike>>();
const decoder = new TextDecoder();

/** Adds the middleware to a client once (and clears smithy's handler cache so it takes effect). */
export function ensureMiddleware(client: BedrockClientLike): void {
  if (installed.has(client)) return;
  client.middlewareStack.add(payiMiddleware, { step: 'deserialize', name: MIDDLEWARE_NAME, priority: 'low', override: true, tags: ['PAYI'] });
  delete client.handlers;
  installed.add(client);
  clients.add(new WeakRef(client));
}

/** Removes the middleware from every client it was added to (on shutdown). */
export function removeMiddleware(): void {
  for (const ref of clients) {
    const client = ref.deref();
    if (!client) continue;
    safeExecute('removing the Bedrock middleware', () => {
      client.middlewareStack.remove(MIDDLEWARE_NAME);
      delete client.handlers;
      installed.delete(client);
    }, undefined);
  }
  clients.clear();
}

function payiMiddleware(next: (args: any) => Promise<any>): (args: any) => Promise<any> {
  return async (args: { request?: unknown; input?: unknown }) => {
    const state = stateOf(args);
    if (!state || !isHttpRequest(args.request)) return next(args);
    const request = args.request;
    const forward = safeExecute('the Bedrock request middleware', () => ({ ...args, request: prepare(state, request) }), args);
    const out = await next(forward);
    safeExecute('the Bedrock response middleware', () => noteResponse(state, out?.response), undefined);
    return out;
  };
}

function isHttpRequest(r: unknown): r is HttpRequestLike {
  const o = r as HttpRequestLike | undefined;
  return !!o && typeof o === 'object' && typeof o.hostname === 'string' && typeof o.path === 'string' && !!o.headers;
}

/** The scheme://host[:port] of a request. */
export function requestOrigin(r: HttpRequestLike): string {
  return `${r.protocol.replace(/:?$/, ':')}//${r.hostname}${r.port ? `:${r.port}` : ''}`;
}

function prepare(state: CallState, request: HttpRequestLike): HttpRequestLike {
  state.providerUri ??= requestOrigin(request);
  const body = request.body;
  if (typeof body === 'string') state.requestBody = body;
  else if (body instanceof Uint8Array) state.requestBody = decoder.decode(body);
  return state.proxy ? toProxy(request, state.proxy, state.recorder.proxyHeaders()) : request;
}

/**
 * The request rewritten for the Pay-i proxy: same method, body and signed headers, sent to
 * `{baseUrl}/api/v1/proxy/aws.bedrock{path}` with `xProxy-Provider-BaseUri` (the original origin),
 * `xProxy-api-key` and the attribution headers.
 */
export function toProxy(request: HttpRequestLike, target: ProxyTarget, attribution: Record<string, string>): HttpRequestLike {
  const base = new URL(target.baseUrl);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() !== 'host' && k !== ':authority') headers[k] = v;
  const host = base.host;
  if (':authority' in request.headers) headers[':authority'] = host;
  else headers.host = host;
  headers[H.providerBaseUri] = requestOrigin(request);
  if (target.apiKey) headers[H.apiKey] = target.apiKey;
  Object.assign(headers, attribution);
  const copy = Object.assign(Object.create(Object.getPrototypeOf(request) as object) as HttpRequestLike, request);
  copy.protocol = base.protocol;
  copy.hostname = base.hostname;
  copy.port = base.port ? Number(base.port) : undefined;
  copy.path = `${base.pathname.replace(/\/+$/, '')}/api/v1/proxy/aws.bedrock${request.path}`;
  copy.headers = headers;
  return copy;
}

function noteResponse(state: CallState, response: unknown): void {
  const r = response as HttpResponseLike | undefined;
  if (r && typeof r.statusCode === 'number') state.response = { statusCode: r.statusCode, headers: { ...(r.headers ?? {}) } };
}
