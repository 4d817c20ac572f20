import type { HttpCore } from './http';
import type { ApiObject, RequestOptions } from './types';
import { seg, text } from './validate';

/**
 * `payi.requests`: results of ingested requests.
 *
 * @example
 * ```ts
 * const r = await payi.requests.result(xproxyResult.request_id!);
 * ```
 */
export class Requests {
  constructor(private readonly http: HttpCore) {}

  /** `GET /api/v1/requests/{request_id}/result`. */
  result(requestId: string, options: RequestOptions = {}): Promise<ApiObject> {
    const id = text('payi.requests.result', 'requestId', requestId);
    return this.http.request({ ...options, method: 'GET', path: `/api/v1/requests/${seg(id)}/result` });
  }
}
