import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { sendError } from './errors';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * With an API key, every request must carry it in `xProxy-api-key` (401 otherwise). The web page
 * at `/` may take it as `?api_key=` instead, since a browser cannot add a header to a page load;
 * the page then sends it as the header on its own API calls.
 */
export function requireApiKey(app: FastifyInstance, apiKey: string | undefined): void {
  if (apiKey === undefined) return;
  app.addHook('onRequest', async (req, reply) => {
    const route = req.url.split('?')[0];
    if (req.method === 'GET' && (route === '/app.js' || route === '/app.css')) return undefined; // the page's code and style hold no data
    const header = req.headers['xproxy-api-key'];
    let given = Array.isArray(header) ? header[0] : header;
    if (given === undefined && req.method === 'GET' && route === '/') {
      given = new URLSearchParams(req.url.split('?')[1] ?? '').get('api_key') ?? undefined;
    }
    if (given === undefined || !same(given, apiKey)) {
      return sendError(reply, 401, 'unauthorized', given === undefined ? 'this collector needs the xProxy-api-key header' : 'the xProxy-api-key header does not match this collector\'s key');
    }
    return undefined;
  });
}
