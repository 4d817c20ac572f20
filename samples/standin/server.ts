import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the provider HTTP APIs (OpenAI, Azure OpenAI, Anthropic, AWS Bedrock), used by
 * tests, samples, benchmarks and `payi demo`. It answers like the real APIs: JSON and SSE streams,
 * usage, errors with request ids. It listens on 127.0.0.1 only.
 *
 * Each provider is a {@link StandinRoute} in its own file (`openai.ts`, `anthropic.ts`, `bedrock.ts`).
 * Test controls: a request header `x-standin-scenario` picks a scenario (e.g. `error-500`, `slow`,
 * `drop-stream`), understood by each route; every received request is recorded in `requests`.
 */
export interface StandinRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  /** Lower-cased header names. */
  headers: http.IncomingHttpHeaders;
  /** The raw body. */
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/** One provider's routes: returns true when it handled the request. */
export type StandinRoute = (req: StandinRequest, res: http.ServerResponse, standin: Standin) => boolean | Promise<boolean>;

/** A running stand-in. */
export interface Standin {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: StandinRequest[];
  /** Counter for ids (`chatcmpl-standin-1`, `msg_standin_1`, ...). */
  nextId(prefix: string): string;
  close(): Promise<void>;
}

/**
 * Starts a stand-in serving the given routes on 127.0.0.1 (port 0 = a free port).
 *
 * @example
 * ```ts
 * const standin = await startStandin([openaiRoute, anthropicRoute]);
 * const client = new OpenAI({ apiKey: 'test', baseURL: `${standin.url}/v1` });
 * ```
 */
export async function startStandin(routes: readonly StandinRoute[], port = 0): Promise<Standin> {
  const requests: StandinRequest[] = [];
  let counter = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const r: StandinRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
        if (body.length > 0 && String(req.headers['content-type'] ?? '').includes('json')) {
          try {
            r.json = JSON.parse(body.toString('utf8'));
          } catch {
            /* not JSON */
          }
        }
        requests.push(r);
        try {
          for (const route of routes) if (await route(r, res, standin)) return;
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `stand-in: no route for ${r.method} ${r.url}`, type: 'not_found' } }));
        } catch (err) {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: String(err), type: 'standin_error' } }));
        }
      })();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // like the real APIs, keep connections alive (undici reuses a socket only when the hint exceeds 1 s)
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  const standin: Standin = {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    nextId: (prefix) => `${prefix}${++counter}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return standin;
}

/**
 * Writes one JSON answer; `scenarios` may ask for it `pretty` (indented by two spaces, as the real
 * OpenAI API sends it) or as `invalid-json` (cut in the middle, still `application/json`).
 */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, scenarios?: ReadonlySet<string>): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  const json = JSON.stringify(body, null, scenarios?.has('pretty') ? 2 : undefined);
  res.end(scenarios?.has('invalid-json') ? json.slice(0, Math.floor(json.length / 2)) : json);
}

/** The scenario a test asked for with the `x-standin-scenario` header, if any. */
export function scenario(req: StandinRequest): string | undefined {
  const v = req.headers['x-standin-scenario'];
  return Array.isArray(v) ? v[0] : v;
}
