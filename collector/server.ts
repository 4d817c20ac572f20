import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandling } from './http/errors';
import { requireApiKey } from './http/auth';
import type { CollectorLogger } from './options';
import { proxyRoutes } from './proxy/route';
import { dashboardRoutes } from './routes/dashboard';
import { ingestRoutes } from './routes/ingest';
import { limitRoutes } from './routes/limits';
import { reportRoutes } from './routes/reports';
import { requestRoutes } from './routes/requests';
import { useCaseRoutes } from './routes/use-cases';
import { webRoutes } from './routes/web';
import type { CollectorStore } from './store';
import { CONNECTION_LIMIT_DEFAULTS, type ConnectionLimits } from './limits';
export { CONNECTION_LIMIT_DEFAULTS, type ConnectionLimits } from './limits';

/**
 * The collector's HTTP API as a fastify instance (not listening yet), for embedding or for
 * `app.inject()` in tests. Every body is checked against a JSON schema; errors answer Pay-i's
 * `ApiError` (`{ message, statusCode, xproxy_error: { code, message } }`).
 *
 * @example
 * ```ts
 * const app = buildCollectorApp(store, { bodyLimit: 1 << 20, logger: console });
 * await app.listen({ port: 0, host: '127.0.0.1' });
 * ```
 */
export function buildCollectorApp(
  store: CollectorStore,
  o: { apiKey?: string; bodyLimit: number; logger: CollectorLogger; limits?: Partial<ConnectionLimits> },
): FastifyInstance {
  const limits = { ...CONNECTION_LIMIT_DEFAULTS, ...(o.limits ?? {}) };
  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit,
    // Slow clients (issue 11 item 8): Node checks these time-outs every `connectionsCheckingInterval`
    // (30 s by default, which would let a stalled client stay far past its time-out).
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Strict types: a token count sent as "12" is a malformed event, not a number.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, allowUnionTypes: true } },
    forceCloseConnections: true,
  });
  const log = {
    error: (obj: object, msg: string) => o.logger.error(obj, msg),
    warn: (obj: object, msg: string) => o.logger.warn(obj, msg),
  };
  installErrorHandling(app, log, o.bodyLimit);
  requireApiKey(app, o.apiKey);
  ingestRoutes(app, store);
  useCaseRoutes(app, store);
  limitRoutes(app, store);
  requestRoutes(app, store);
  reportRoutes(app, store);
  dashboardRoutes(app, store);
  webRoutes(app);
  proxyRoutes(app, store, log, o.bodyLimit);
  app.server.maxConnections = limits.maxConnections;
  return app;
}
