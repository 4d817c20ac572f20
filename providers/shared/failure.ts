import { PayiPropertyNames } from '../../src/headers/names';

/** What an event records of a failed provider call (contract §5). */
export interface FailureFields {
  /** The error's HTTP status; `299` for an error without one. */
  httpStatusCode: number;
  /** `system.failure` (error class name) and `system.failure.description`, for errors without a status. */
  properties?: Record<string, string>;
  /** The provider's request id, when the error carries one. */
  requestId?: string;
  /** The response headers, when the error carries them. */
  responseHeaders?: Headers | Record<string, string>;
  /** The error body as JSON, when the error carries one. */
  responseJson?: string;
}

/**
 * Reads a provider SDK error the way events record it: its HTTP status, request id, headers and
 * body; an error with no status becomes `299` with `system.failure` (the class name) and
 * `system.failure.description` (the message). Never throws.
 *
 * @example
 * ```ts
 * const f = failureFields(err); // { httpStatusCode: 429, requestId: 'req_1', ... }
 * ```
 */
export function failureFields(error: unknown): FailureFields {
  const e = (error ?? {}) as { status?: unknown; requestID?: unknown; requestId?: unknown; request_id?: unknown; headers?: unknown; error?: unknown; message?: unknown; constructor?: { name?: string } };
  const status = typeof e.status === 'number' && Number.isInteger(e.status) && e.status > 0 ? e.status : undefined;
  const out: FailureFields = { httpStatusCode: status ?? 299 };
  if (status === undefined) {
    const cls = e.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : error instanceof Error ? error.name : typeof error;
    out.properties = {
      [PayiPropertyNames.failure]: cls,
      [PayiPropertyNames.failureDescription]: typeof e.message === 'string' && e.message ? e.message : String(error),
    };
  }
  const rid = [e.requestID, e.requestId, e.request_id].find((v) => typeof v === 'string' && v.length > 0);
  if (typeof rid === 'string') out.requestId = rid;
  if (typeof Headers !== 'undefined' && e.headers instanceof Headers) out.responseHeaders = e.headers;
  else if (e.headers && typeof e.headers === 'object') out.responseHeaders = e.headers as Record<string, string>;
  if (status !== undefined && e.error !== undefined) {
    try {
      out.responseJson = JSON.stringify(e.error);
    } catch {
      /* not serialisable */
    }
  }
  return out;
}
