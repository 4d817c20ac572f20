import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The `web` folder next to the collector's code, in the source tree and in the published package. */
function webDir(): string {
  const beside = path.join(__dirname, '..', 'web');
  if (fs.existsSync(path.join(beside, 'index.html'))) return beside;
  // compiled: <package>/dist/collector/routes → <package>/web (the collector package), else <repository>/collector/web
  const root = path.join(__dirname, '..', '..', '..');
  const published = path.join(root, 'web');
  return fs.existsSync(path.join(published, 'index.html')) ? published : path.join(root, 'collector', 'web');
}

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/**
 * `GET /` and its two assets: the dashboard (plain HTML, CSS and JavaScript with SVG charts, no
 * build step, no CDN: nothing is fetched from outside the collector).
 */
export function webRoutes(app: FastifyInstance): void {
  const cache = new Map<string, string>();
  for (const [route, { file, type }] of Object.entries(FILES)) {
    app.get(route, async (_req, reply) => {
      let body = cache.get(file);
      if (body === undefined) cache.set(file, (body = fs.readFileSync(path.join(webDir(), file), 'utf8')));
      return reply.type(type).header('cache-control', 'no-store').send(body);
    });
  }
}
