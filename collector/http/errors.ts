import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { requestId } from '../ids';

/**
 * An error answer of the collector, in the shape of Pay-i's OpenAPI document:
 * `ApiError` `{ message, statusCode, xproxy_error: { code, message } }`, or `ProxyApiError` (the
 * same plus `xproxy_result`) when `result` is given. Throw it from a route handler.
 *
 * @example
 * ```ts
 * throw new HttpError(400, 'not_found', `no limit with id "${id}"`);
 * throw new HttpError(424, 'limit_blocked', 'limit "b" is blocked', { blocked_limit_ids: ['b'] });
 * ```
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The `xproxy_result` of a `ProxyApiError` (ingest and proxy routes). */
    readonly result?: Record<string, unknown>,
    /** `problem`: answer ASP.NET's `ProblemDetails` (`title`, `status`, `detail`), as the spec declares for the KPI score route. */
    readonly format: 'api' | 'problem' = 'api',
  ) {
    super(message);
  }
}

/** The reason phrases of the statuses the collector answers, for `ProblemDetails.title`. */
const TITLES: Readonly<Record<number, string>> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 424: 'Failed Dependency', 500: 'Internal Server Error', 502: 'Bad Gateway' };

/**
 * The error body the collector sends: `ApiError` (`{ message, statusCode, xproxy_error: { code, message } }`),
 * with `xproxy_result` (`ProxyApiError`) when `result` is given.
 *
 * @example `errorBody(400, 'invalid_request', 'category is missing')` → `{ message: 'category is missing', statusCode: 400, xproxy_error: { code: 'invalid_request', message: 'category is missing' } }`
 */
export function errorBody(status: number, code: string, message: string, result?: Record<string, unknown>): Record<string, unknown> {
  return { message, statusCode: status, xproxy_error: { code, message }, ...(result ? { xproxy_result: result } : {}) };
}

/** `ProblemDetails` (RFC 9457, as ASP.NET writes it), with the collector's `xproxy_error` beside it (the schema allows extra fields). */
export function problemBody(status: number, code: string, message: string): Record<string, unknown> {
  return { title: TITLES[status] ?? 'Error', status, detail: message, xproxy_error: { code, message } };
}

/**
 * A whole bulk request refused (`BulkIngestResponse`, the spec's 400 of the bulk routes): nothing
 * ingested, one error without `item_index` saying why.
 */
export function bulkErrorBody(status: number, code: string, message: string): Record<string, unknown> {
  return {
    request_id: requestId(),
    ingest_timestamp: new Date().toISOString(),
    ingest_count: 0,
    error_count: 1,
    item_error_count: 0,
    errors: [{ xproxy_result: errorBody(status, code, message) }],
    total_count: 0,
  };
}

/** Writes an error answer. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send(errorBody(status, code, message));
}

/** One ajv error, as fastify hands them over. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * Turns the first JSON-schema error into a sentence naming the field, e.g.
 * `units.text.input must be integer` or `category is missing`.
 *
 * @example `describeSchemaError([{ instancePath: '', keyword: 'required', params: { missingProperty: 'units' } }])` → `units is missing`
 */
export function describeSchemaError(errors: readonly SchemaError[], prefix = ''): string {
  const e = errors[0];
  if (!e) return `${prefix || 'body'} is invalid`;
  const parts = e.instancePath.split('/').filter((p) => p !== '');
  const at = [prefix, ...parts].filter((p) => p !== '').join('.');
  const join = (name: string): string => (at ? `${at}.${name}` : name);
  switch (e.keyword) {
    case 'required':
      return `${join(String(e.params.missingProperty))} is missing`;
    case 'additionalProperties':
      return `${join(String(e.params.additionalProperty))} is not a known field`;
    case 'enum':
      return `${at || 'value'} must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${at || 'body'} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * Maps every failure to the collector's error body: schema errors → 400 naming the field, a body
 * over the limit → 413, bad JSON → 400, unknown routes → 404, anything else → 500 (logged).
 */
export function installErrorHandling(app: FastifyInstance, log: { error(obj: object, msg: string): void }, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError & Partial<HttpError>, req, reply) => {
    // The bulk routes answer a refused request as a `BulkIngestResponse` (their declared 400 body).
    if ((req.routeOptions.config as { bulk?: boolean } | undefined)?.bulk && err.statusCode === 400) {
      return reply.code(400).send(bulkErrorBody(400, 'invalid_json', `request body is not valid JSON: ${err.message}`));
    }
    if (err instanceof HttpError) return reply.code(err.status).send(err.format === 'problem' ? problemBody(err.status, err.code, err.message) : errorBody(err.status, err.code, err.message, err.result));
    if (err.validation) {
      const where = err.validationContext === 'body' ? '' : (err.validationContext ?? '');
      const message = describeSchemaError(err.validation as SchemaError[], where);
      if ((req.routeOptions.config as { problemDetails?: boolean } | undefined)?.problemDetails) return reply.code(400).send(problemBody(400, 'invalid_request', message));
      return sendError(reply, 400, 'invalid_request', message);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 413, 'payload_too_large', `request body is larger than the collector's limit of ${bodyLimit} bytes (bodyLimit)`);
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'unsupported_media_type', err.message);
    if (err.statusCode === 400 || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendError(reply, 400, 'invalid_json', `request body is not valid JSON: ${err.message}`);
    }
    if (err.statusCode && err.statusCode < 500) return sendError(reply, err.statusCode, 'bad_request', err.message);
    log.error({ err }, 'payi collector: request failed');
    return sendError(reply, 500, 'internal_error', `the collector failed: ${err.message}`);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'not_found', `no route for ${req.method} ${req.url.split('?')[0]}`));
}
