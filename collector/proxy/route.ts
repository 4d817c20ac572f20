import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PayiEvent, XproxyResult } from 'payi-instrument';
import { limitState } from '../db/limits';
import { requestId as newRequestId } from '../ids';
import { attributionFromHeaders, type HeaderAttribution } from '../http/attribution';
import { HttpError, sendError } from '../http/errors';
import { eventProblem, ingestEvents, UNKNOWN_MODEL } from '../ingest/ingest';
import type { CollectorStore } from '../store';
import { PROXIED_PROVIDERS, type ProxiedProvider, upstreamUrl } from './providers';

type Obj = Record<string, any>;
type Log = { warn(obj: object, msg: string): void };

const DROP_REQUEST = new Set(['host', 'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length', 'accept-encoding', 'proxy-authorization', 'proxy-connection']);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

/** The limit ids among `ids` that are `block` limits whose spend reached their max. */
export function blockedLimits(store: CollectorStore, ids: readonly string[]): string[] {
  return ids.filter((id) => {
    const l = store.limits.get(id);
    return l !== undefined && limitState(l) === 'blocked';
  });
}

/** What one proxied call recorded, before it becomes an event. */
interface CallRecord {
  provider: ProxiedProvider;
  attribution: HeaderAttribution;
  requestId: string;
  base: string;
  started: number;
  eventTimestamp: string;
  requestModel?: string;
  requestText?: string;
}

/**
 * The proxy routes of contract §9 and Pay-i's spec: `/api/v1/proxy/openai/v1/*`,
 * `/api/v1/proxy/anthropic/*`, `/api/v1/proxy/aws.bedrock/*`, `/api/v1/proxy/azure.openai/*`,
 * `/api/v1/proxy/google.vertex/*`. A call goes to `xProxy-Provider-BaseUri` (else the provider's
 * public URL) with its own headers (minus `xProxy-*`), its answer comes back as it arrives (JSON,
 * SSE and AWS event streams), and it is metered from the answer's usage and the `xProxy-*`
 * headers. A call naming a `block` limit that is used up is refused with HTTP 424, before it
 * reaches the provider. The answer carries `xProxy-Request-ID`; a JSON answer of OpenAI or
 * Anthropic also carries `xproxy_result`.
 */
export function proxyRoutes(app: FastifyInstance, store: CollectorStore, log: Log, bodyLimit: number): void {
  void app.register(async (scope) => {
    // Forward bodies byte for byte (AWS signatures cover them): no JSON parsing in this scope.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    for (const provider of PROXIED_PROVIDERS) {
      scope.all(`${provider.prefix}/*`, (req, reply) => forward(store, log, provider, req, reply));
    }
  });
}

async function forward(store: CollectorStore, log: Log, p: ProxiedProvider, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const started = Date.now();
  const attribution = attributionFromHeaders(req.headers);
  const problem = eventProblem(attribution.fields);
  if (problem) throw new HttpError(400, 'invalid_header', `header xProxy-UseCase-Name: ${problem}`);
  const blocked = blockedLimits(store, attribution.fields.limit_ids ?? []);
  if (blocked.length > 0) {
    throw new HttpError(424, 'limit_blocked', `limit ${blocked.map((b) => JSON.stringify(b)).join(', ')} is blocked: its spend reached its max; the call was not forwarded`, {
      blocked_limit_ids: blocked,
      limits: Object.fromEntries(blocked.map((id) => [id, { state: 'blocked' }])),
    });
  }
  const base = attribution.providerBaseUri ?? p.defaultBaseUri;
  if (!/^https?:\/\/[^/]/.test(base)) throw new HttpError(400, 'invalid_header', `header xProxy-Provider-BaseUri "${base}" is not an http(s) URL`);
  const rest = (req.params as { '*': string })['*'] ?? '';
  const q = req.url.indexOf('?');
  const url = upstreamUrl(base, p.upstreamPath(rest), q >= 0 ? req.url.slice(q) : '');

  let body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
  let json: Obj | undefined;
  let injected = false;
  if (body && String(req.headers['content-type'] ?? '').includes('json')) {
    try {
      json = JSON.parse(body.toString('utf8')) as Obj;
    } catch {
      json = undefined;
    }
  }
  const prepared = json && p.prepare?.(json);
  if (prepared) {
    json = prepared.body;
    injected = prepared.injected;
    body = Buffer.from(JSON.stringify(json), 'utf8');
  }
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || DROP_REQUEST.has(k) || k.startsWith('xproxy-')) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const call: CallRecord = {
    provider: p,
    attribution,
    requestId: newRequestId(),
    base,
    started,
    eventTimestamp: new Date(started).toISOString(),
    requestModel: p.model(rest, json),
    requestText: json ? JSON.stringify(json) : undefined,
  };

  const abort = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  let upstream: Response;
  try {
    upstream = await fetch(url, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' || !body ? undefined : new Uint8Array(body), signal: abort.signal, redirect: 'manual' });
  } catch (err) {
    return sendError(reply, 502, 'provider_unreachable', `the proxy could not reach ${base}: ${(err as Error).message}`);
  }
  const outHeaders: Record<string, string> = {};
  upstream.headers.forEach((v, k) => {
    if (!DROP_RESPONSE.has(k)) outHeaders[k] = v;
  });
  outHeaders['xproxy-request-id'] = call.requestId;
  const header = (name: string): string | null => upstream.headers.get(name);
  const ctype = header('content-type') ?? '';

  if (upstream.body && (ctype.includes('text/event-stream') || ctype.includes('vnd.amazon.eventstream'))) {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(upstream.status, outHeaders);
    const meter = p.streamMeter(injected, rest);
    const reader = upstream.body.getReader();
    let firstAt: number | undefined;
    let outcome: 'completed' | 'abandoned' | 'failed' = 'completed';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        firstAt ??= Date.now();
        const out = meter.feed(value);
        if (out.length > 0) raw.write(out);
      }
      const last = meter.end();
      raw.end(last.length > 0 ? last : undefined);
    } catch {
      outcome = abort.signal.aborted ? 'abandoned' : 'failed';
      raw.destroy();
    }
    const facts = meter.facts();
    if (outcome === 'completed' && !facts.completed) outcome = 'failed';
    record(store, log, call, {
      status: upstream.status,
      units: facts.units,
      id: facts.id ?? header('x-request-id') ?? header('request-id') ?? header('x-amzn-requestid') ?? undefined,
      model: facts.model,
      ttft: firstAt === undefined ? undefined : firstAt - started,
      outcome,
    });
    return reply;
  }

  const buf = Buffer.from(await upstream.arrayBuffer());
  let answer: Obj | undefined;
  if (ctype.includes('json')) {
    try {
      answer = JSON.parse(buf.toString('utf8')) as Obj;
    } catch {
      answer = undefined;
    }
  }
  const facts = p.fromJson(answer, header, rest);
  const result = record(store, log, call, {
    status: upstream.status,
    units: upstream.status < 400 ? facts.units : {},
    id: facts.id ?? header('x-request-id') ?? header('request-id') ?? header('x-amzn-requestid') ?? undefined,
    model: facts.model,
    responseText: answer ? buf.toString('utf8') : undefined,
  });
  let out: Buffer = buf;
  if (result && upstream.ok && answer && !Array.isArray(answer) && p.category !== 'system.aws.bedrock') {
    out = Buffer.from(JSON.stringify({ ...answer, xproxy_result: result }), 'utf8');
  }
  return reply.code(upstream.status).headers(outHeaders).send(out);
}

/** Stores the event of one proxied call. Never throws: metering must not break the call. */
function record(
  store: CollectorStore,
  log: Log,
  call: CallRecord,
  seen: { status: number; units: PayiEvent['units']; id?: string; model?: string; ttft?: number; outcome?: string; responseText?: string },
): XproxyResult | undefined {
  try {
    const a = call.attribution;
    const properties = { ...(a.fields.properties ?? {}), ...(seen.outcome ? { 'system.stream_outcome': seen.outcome } : {}) };
    const event: PayiEvent = {
      ...a.fields,
      category: a.priceAsCategory ?? call.provider.category,
      resource: a.priceAsResource ?? call.requestModel ?? seen.model ?? UNKNOWN_MODEL,
      units: seen.units,
      event_timestamp: call.eventTimestamp,
      end_to_end_latency_ms: Date.now() - call.started,
      http_status_code: seen.status,
      provider_uri: call.base,
      ...(seen.ttft !== undefined ? { time_to_first_token_ms: seen.ttft } : {}),
      ...(seen.id ? { provider_response_id: seen.id } : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
      ...(call.requestText ? { provider_request_json: call.requestText } : {}),
      ...(seen.responseText ? { provider_response_json: seen.responseText } : {}),
    };
    const [out] = ingestEvents(store, [{ event, source: 'proxy', loggingDisabled: a.loggingDisabled, requestId: call.requestId }]);
    if (out?.ok) return out.result;
    log.warn({ reason: out?.ok === false ? out.message : 'no outcome' }, 'payi collector: a proxied call was not metered');
  } catch (err) {
    log.warn({ err }, 'payi collector: metering a proxied call failed; the answer was passed through');
  }
  return undefined;
}
