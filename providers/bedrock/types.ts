import type { CallRecorder } from '../../src/recording/recorder';

/** The four instrumented commands. */
export type BedrockCommandKind = 'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream';

/** The part of a smithy `MiddlewareStack` the adapter uses (stable across `@aws-sdk` v3). */
export interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: string; name: string; priority?: string; override?: boolean; tags?: string[] }): void;
  remove(toRemove: string): boolean;
}

/** A `BedrockRuntimeClient` instance, as far as the adapter touches it. */
export interface BedrockClientLike {
  middlewareStack: MiddlewareStackLike;
  /** smithy's per-constructor handler cache (`cacheMiddleware: true`); cleared when the stack changes. */
  handlers?: unknown;
  send(command: unknown, optionsOrCb?: unknown, cb?: unknown): unknown;
}

/** A command instance: its class says which operation it is, `input` is what the caller gave. */
export interface BedrockCommandLike {
  input?: Record<string, unknown>;
  constructor: Function;
}

/** The smithy `HttpRequest` fields the middleware reads and rewrites. */
export interface HttpRequestLike {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** The smithy `HttpResponse` fields the middleware reads. */
export interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
}

/** Where proxy mode sends the request: `{baseUrl}/api/v1/proxy/aws.bedrock{original path}`. */
export interface ProxyTarget {
  baseUrl: string;
  apiKey?: string;
}

/** One instrumented `send()`, shared by the patched `send` and the middleware (via AsyncLocalStorage). */
export interface CallState {
  readonly recorder: CallRecorder;
  readonly kind: BedrockCommandKind;
  /** Set in proxy mode. */
  readonly proxy?: ProxyTarget;
  /** scheme://host[:port] of the endpoint (before any proxy rewrite). */
  providerUri?: string;
  /** The request body as sent (JSON text). */
  requestBody?: string;
  /** The last HTTP answer seen (the last attempt when the SDK retried). */
  response?: HttpResponseLike;
}
