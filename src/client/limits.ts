import type { HttpCore } from './http';
import type { ApiObject, PayiLimit, RequestOptions } from './types';
import { invalid, number, object, optionalText, seg, text } from './validate';

/** Fields of `limits.create` (camelCase; sent as `limit_name`, `max`, `limit_type`, `threshold`, `limit_id`). */
export interface LimitCreate {
  limitName: string;
  /** The limit in USD. */
  max: number;
  /** `'block'` refuses calls past `max`; `'allow'` only reports. Default: the service's (`allow`). */
  limitType?: 'block' | 'allow';
  /** Fraction of `max` at which the service warns, e.g. 0.8. */
  threshold?: number;
  /** Your own id for the limit. Default: the service makes one. */
  limitId?: string;
}

/** Fields of `limits.update`: any of them. */
export type LimitUpdate = Partial<Omit<LimitCreate, 'limitId'>>;

const LIMITS = '/api/v1/limits';

function limitBody(where: string, f: LimitUpdate & { limitId?: string }): ApiObject {
  const body: ApiObject = {};
  if (f.limitName !== undefined) body.limit_name = text(where, 'limitName', f.limitName);
  if (f.max !== undefined) body.max = number(where, 'max', f.max, 0);
  if (f.limitType !== undefined) {
    if (f.limitType !== 'block' && f.limitType !== 'allow') invalid(where, 'limitType', f.limitType, "'block' or 'allow'");
    body.limit_type = f.limitType;
  }
  if (f.threshold !== undefined) body.threshold = number(where, 'threshold', f.threshold, 0);
  const id = optionalText(where, 'limitId', f.limitId);
  if (id) body.limit_id = id;
  return body;
}

/**
 * `payi.limits`: spending limits (contract §7, §9).
 *
 * @example
 * ```ts
 * const created = await payi.limits.create({ limitName: 'monthly', max: 100, limitType: 'block', threshold: 0.8 });
 * ```
 */
export class Limits {
  constructor(private readonly http: HttpCore) {}

  /** `POST /api/v1/limits` with `{ limit_name, max, limit_type, threshold }`. */
  create(fields: LimitCreate, options: RequestOptions = {}): Promise<ApiObject & { limit?: PayiLimit }> {
    const w = 'payi.limits.create';
    object(w, 'limit', fields);
    text(w, 'limitName', fields.limitName);
    number(w, 'max', fields.max, 0);
    return this.http.request({ ...options, method: 'POST', path: LIMITS, body: limitBody(w, fields) });
  }

  /** `GET /api/v1/limits`. */
  list(options: RequestOptions = {}): Promise<ApiObject | PayiLimit[]> {
    return this.http.request({ ...options, method: 'GET', path: LIMITS });
  }

  /** `GET /api/v1/limits/{id}`. */
  get(limitId: string, options: RequestOptions = {}): Promise<ApiObject & { limit?: PayiLimit }> {
    const id = text('payi.limits.get', 'limitId', limitId);
    return this.http.request({ ...options, method: 'GET', path: `${LIMITS}/${seg(id)}` });
  }

  /** `PUT /api/v1/limits/{id}` with the fields given. */
  update(limitId: string, fields: LimitUpdate, options: RequestOptions = {}): Promise<ApiObject & { limit?: PayiLimit }> {
    const w = 'payi.limits.update';
    const id = text(w, 'limitId', limitId);
    object(w, 'fields', fields);
    return this.http.request({ ...options, method: 'PUT', path: `${LIMITS}/${seg(id)}`, body: limitBody(w, fields) });
  }

  /** `POST /api/v1/limits/{id}/reset`: spend back to 0. */
  reset(limitId: string, options: RequestOptions = {}): Promise<ApiObject> {
    const id = text('payi.limits.reset', 'limitId', limitId);
    return this.http.request({ ...options, method: 'POST', path: `${LIMITS}/${seg(id)}/reset` });
  }

  /** `DELETE /api/v1/limits/{id}`. */
  delete(limitId: string, options: RequestOptions = {}): Promise<ApiObject> {
    const id = text('payi.limits.delete', 'limitId', limitId);
    return this.http.request({ ...options, method: 'DELETE', path: `${LIMITS}/${seg(id)}` });
  }
}
