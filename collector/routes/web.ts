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

/** `GET /`: the cost-drivers page (one self-contained HTML file: inline CSS, JS and SVG charts, no CDN). */
export function webRoutes(app: FastifyInstance): void {
  let page: string | undefined;
  app.get('/', async (_req, reply) => {
    page ??= fs.readFileSync(path.join(webDir(), 'index.html'), 'utf8');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
  });
}
