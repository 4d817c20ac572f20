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

/**
 * How long a client may take and how many may be connected at once (docs/reliability.md): a
 * client that has not sent its headers within `headersTimeoutMs`, or its whole request within
 * `requestTimeoutMs`, gets 408 and its connection is closed; an idle keep-alive connection is
 * closed after `keepAliveTimeoutMs`; beyond `maxConnections` open connections a new one is
 * closed at once. Answers (a proxied stream) are not limited.
 */
export interface ConnectionLimits {
  /** Milliseconds to receive a request's headers. Default 10000. */
  headersTimeoutMs: number;
  /** Milliseconds to receive a whole request (headers and body). Default 30000. */
  requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection stays open. Default 10000. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are closed at once. Default 256. */
  maxConnections: number;
}

/** The collector's default {@link ConnectionLimits}. */
export const CONNECTION_LIMIT_DEFAULTS: Readonly<ConnectionLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  maxConnections: 256,
});

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
