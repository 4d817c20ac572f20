/**
 * A real HTTP stand-in for the Pay-i ingest API on 127.0.0.1 (port 0 = a free port), for delivery
 * and client tests, answering exactly like Pay-i's OpenAPI document: `POST /api/v1/ingest/bulk` and
 * `/bulk-upsert` take a bare array of `BulkIngestRequest` and answer a `BulkIngestResponse`
 * (refused items as `errors: [{ item_index, xproxy_result: ApiError }]`, no per-item results, no
 * limit states); `POST /api/v1/ingest` answers an `IngestResponse` whose `xproxy_result.limits`
 * carries {@link IngestSink.limitStates}. It records every request, and answers the way a test
 * scripts: ok, a status (500, 429 with Retry-After, 401...), per-item bulk errors, slow; it can also
 * be taken down and brought back up on the same port.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the sink received. */
export interface SinkRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: any;
  raw: string;
}

/** How the sink answers an ingest request (one-shot entries are consumed in order). */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'items'; error: (event: any, index: number) => { status: number; code?: string; message?: string } | undefined }
  | { kind: 'slow'; ms: number };

type Handler = (req: SinkRequest) => { status?: number; body?: unknown; headers?: Record<string, string> };

export class IngestSink {
  readonly requests: SinkRequest[] = [];
  /** `provider_response_id` of every event the sink stored, in order (duplicates kept, to catch them). */
  readonly storedIds: string[] = [];
  /** Every event the sink stored, as it arrived (a bulk item, or an ingest body with its `xProxy-*` headers). */
  readonly stored: any[] = [];
  /** Limit states put in every result for events carrying that limit id. */
  limitStates: Record<string, string> = {};
  /** The default behaviour once the script is empty. */
  behaviour: Behaviour = { kind: 'ok' };
  private script: Behaviour[] = [];
  private routes = new Map<string, Handler>();
  private server: http.Server;
  private port = 0;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private nextId = 1;

  constructor() {
    this.server = this.makeServer();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Ingest requests (bulk and single). */
  get ingestRequests(): SinkRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/api/v1/ingest'));
  }

  /** Queues one-shot behaviours for the next ingest requests. */
  next(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** Answers `method path` (exact path) with the handler's result instead of the default. */
  route(method: string, path: string, handler: Handler): this {
    this.routes.set(`${method} ${path}`, handler);
    return this;
  }

  /** Resolves once `check()` is true (checked after every request). */
  waitFor(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  /** Resolves once `n` events have been stored. */
  waitForStored(n: number): Promise<void> {
    return this.waitFor(() => this.storedIds.length >= n);
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops open connections: clients get connection errors. */
  async down(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.server = this.makeServer();
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    await this.down();
  }

  private makeServer(): http.Server {
    const server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => {
        void this.handle(req, raw).then(({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
          this.notify();
        });
      });
    });
    server.keepAliveTimeout = 500;
    return server;
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  private result(event: any): Record<string, unknown> {
    const limits: Record<string, { state: string }> = {};
    for (const id of event?.limit_ids ?? []) if (this.limitStates[id]) limits[id] = { state: this.limitStates[id] };
    return { request_id: `req_${this.nextId++}`, ...(Object.keys(limits).length ? { limits } : {}) };
  }

  /**
   * `GET /api/v1/limits/{limit_id}` as the spec has it (`LimitResponse`), with `totals` that put the
   * limit in its {@link limitStates} state (`ok` when none is set); 404 `ApiError` for `missing`.
   */
  private limitAnswer(id: string): { status: number; body: unknown } {
    if (id === 'missing') return { status: 404, body: { message: `no limit ${id}`, statusCode: 404 } };
    const state = this.limitStates[id] ?? 'ok';
    const max = 10;
    const spend = state === 'blocked' || state === 'exceeded' ? 10 : state === 'overrun' ? 9 : 0;
    const now = new Date().toISOString();
    const requests = { ok: 0, blocked: 0, blocked_external: 0, exceeded: 0, overrun: 0, failed: 0, total: 0 };
    const limit = {
      limit_id: id, limit_name: id, max, threshold: 0.8, limit_type: state === 'blocked' ? 'block' : 'allow', limit_creation_timestamp: now, limit_update_timestamp: now,
      totals: { cost: { input: { base: spend }, output: { base: 0 }, total: { base: spend } }, requests },
    };
    return { status: 200, body: { request_id: `lim_${this.nextId++}`, limit } };
  }

  private async handle(req: http.IncomingMessage, raw: string): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', 'http://sink');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const r: SinkRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, raw };
    this.requests.push(r);
    const route = this.routes.get(`${r.method} ${r.path}`);
    if (route) {
      const a = route(r);
      return { status: a.status ?? 200, body: a.body, ...(a.headers ? { headers: a.headers } : {}) };
    }
    const limitId = r.method === 'GET' ? /^\/api\/v1\/limits\/([^/]+)$/.exec(r.path)?.[1] : undefined;
    if (limitId !== undefined) return this.limitAnswer(decodeURIComponent(limitId));
    const isBulk = r.path === '/api/v1/ingest/bulk' || r.path === '/api/v1/ingest/bulk-upsert';
    if (!isBulk && r.path !== '/api/v1/ingest') return { status: 200, body: { ok: true } };
    const b = this.script.shift() ?? this.behaviour;
    if (b.kind === 'status') return { status: b.status, body: b.body, ...(b.headers ? { headers: b.headers } : {}) };
    if (b.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, b.ms));
    const now = new Date().toISOString();
    if (isBulk && !Array.isArray(body)) return { status: 400, body: { message: 'the body must be a JSON array of BulkIngestRequest', statusCode: 400 } };
    const events: any[] = isBulk ? (body as any[]) : [body];
    const errors: { item_index: number; xproxy_result: { message: string; statusCode: number; xproxy_error?: { code?: string; message?: string } } }[] = [];
    let last: Record<string, unknown> | undefined;
    events.forEach((event, index) => {
      const e = b.kind === 'items' ? b.error(event, index) : undefined;
      if (e) {
        const message = e.message ?? `item ${index} refused`;
        errors.push({ item_index: index, xproxy_result: { message, statusCode: e.status, ...(e.code ? { xproxy_error: { code: e.code, message } } : {}) } });
      } else {
        this.storedIds.push(event?.provider_response_id);
        this.stored.push(isBulk ? event : { ...event, headers: payiHeaders(req.headers) });
        last = this.result(isBulk ? event : { limit_ids: String(req.headers['xproxy-limit-ids'] ?? '').split(',').filter(Boolean) });
      }
    });
    const requestId = `bulk_${this.nextId++}`;
    if (!isBulk) {
      if (errors.length) {
        const x = errors[0]!.xproxy_result;
        return { status: x.statusCode, body: { message: x.message, statusCode: x.statusCode, xproxy_error: x.xproxy_error ?? { code: 'invalid_event', message: x.message } } };
      }
      return { status: 200, body: { request_id: String(last!.request_id), ingest_timestamp: now, event_timestamp: event0Time(events[0], now), xproxy_result: last } };
    }
    const answer: Record<string, unknown> = { request_id: requestId, ingest_timestamp: now, ingest_count: events.length - errors.length, error_count: errors.length, item_error_count: errors.length, total_count: events.length };
    if (errors.length) answer.errors = errors;
    return { status: events.length > 0 && errors.length === events.length ? 400 : 200, body: answer };
  }
}

const event0Time = (e: any, now: string): string => (typeof e?.event_timestamp === 'string' ? e.event_timestamp : now);

/** The `xProxy-*` headers of a request (lower-cased names), without the API key. */
function payiHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (k.startsWith('xproxy-') && k !== 'xproxy-api-key' && typeof v === 'string') out[k] = v;
  return out;
}

/** Starts a sink on a free port. */
export async function startSink(): Promise<IngestSink> {
  return new IngestSink().start();
}
