import * as http from 'node:http';
import * as https from 'node:https';

/** An HTTP answer as {@link HttpCore} needs it (internal). */
export interface RawResponse {
  status: number;
  /** A header's value (name in any case), or `null`. */
  header(name: string): string | null;
  text: string;
}

/** One HTTP request of the client (internal). */
export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON, as text or as UTF-8 bytes. */
  body?: string | Uint8Array;
  signal: AbortSignal;
}

/** Sends a request and resolves to the whole answer; rejects on connection errors and aborts. */
export type Transport = (req: RawRequest) => Promise<RawResponse>;

// Keep-alive agents shared by every client: idle sockets are unref'd by Node, so they never keep
// the process alive. node:http is used rather than the global fetch because it costs about a
// third as much per request, which matters for bulk delivery.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/**
 * The default transport: `node:http`/`node:https` with keep-alive.
 *
 * @example
 * ```ts
 * const res = await nodeTransport({ method: 'GET', url: 'http://127.0.0.1:7480/api/v1/limits', headers: {}, signal });
 * ```
 */
export const nodeTransport: Transport = (req) =>
  new Promise<RawResponse>((resolve, reject) => {
    const url = new URL(req.url);
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.byteLength;
    const r = lib.request(url, { method: req.method, headers, agent: agents[url.protocol as 'http:' | 'https:'], signal: req.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = res.headers;
        resolve({
          status: res.statusCode ?? 0,
          header: (name) => {
            const v = raw[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
          },
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    r.on('error', reject);
    r.end(req.body);
  });

/**
 * A transport over a `fetch` function (the client's `fetch` option).
 *
 * @example
 * ```ts
 * const transport = fetchTransport(globalThis.fetch);
 * ```
 */
export function fetchTransport(f: typeof fetch): Transport {
  return async (req) => {
    const init: RequestInit = { method: req.method, headers: req.headers, signal: req.signal };
    if (req.body !== undefined) init.body = req.body as BodyInit;
    const res = await f(req.url, init);
    const text = await res.text();
    return { status: res.status, header: (name) => res.headers.get(name), text };
  };
}
