import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

/**
 * An error answer of the collector: `{ xproxy_error: { code, message } }` with an HTTP status.
 * Throw it from a route handler.
 *
 * @example
 * ```ts
 * throw new HttpError(404, 'not_found', `no limit with id "${id}"`);
 * ```
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The error body the collector sends. */
export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}): { xproxy_error: Record<string, unknown> } {
  return { xproxy_error: { code, message, ...extra } };
}

/** Writes an error answer. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send(errorBody(code, message));
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
  app.setErrorHandler((err: FastifyError & Partial<HttpError>, _req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).send(errorBody(err.code, err.message, err.extra));
    if (err.validation) {
      const where = err.validationContext === 'body' ? '' : (err.validationContext ?? '');
      return sendError(reply, 400, 'invalid_request', describeSchemaError(err.validation as SchemaError[], where));
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
