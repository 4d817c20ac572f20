import { stringifyProperties } from '../wire/encode';
import type { DefaultResponse, CursorPage, LimitHistoryResponse, LimitResponse, LimitType, PayiLimit } from '../wire/resources';
import type { HttpCore } from './http';
import type { ApiObject, RequestOptions } from './types';
import { invalid, number, object, oneOf, onlyKnown, optionalText, required, seg, text } from './validate';

/** Fields of `limits.create`: the spec's `CreateLimit` in camelCase. */
export interface LimitCreate {
  limitName: string;
  /** The limit in USD. */
  max: number;
  /** `'block'` refuses calls past `max`; `'allow'` only reports. Default: the service's (`allow`). */
  limitType?: LimitType;
  /** Fraction of `max` (0..1] past which the limit is `overrun` before it reaches `max`, e.g. 0.8. */
  threshold?: number;
  /** Your own id for the limit. Default: the service makes one. */
  limitId?: string;
  /** Properties of the limit. */
  properties?: Record<string, string | number | boolean | null>;
}

/** Fields of `limits.update`: the spec's `UpdateLimit` (only `max` and `limitName` can change). */
export interface LimitUpdate {
  limitName?: string;
  max?: number;
}

/** Query of `limits.list` (`GET /api/v1/limits`). */
export interface LimitListQuery {
  limitName?: string;
  sortAscending?: boolean;
  /** Page size. */
  limit?: number;
  /** The `cursor` of the previous page. */
  cursor?: string;
}

const LIMITS = '/api/v1/limits';
const LIMIT_TYPES: readonly LimitType[] = ['block', 'allow'];

/**
 * `payi.limits`: spending limits (contract §7, §9), each method the spec's operation.
 *
 * @example
 * ```ts
 * const { limit } = await payi.limits.create({ limitName: 'monthly', max: 100, limitType: 'block', threshold: 0.8 });
 * ```
 */
export class Limits {
  constructor(private readonly http: HttpCore) {}

  /** `POST /api/v1/limits` with a `CreateLimit` body (`limit_name`, `max`, `limit_type`, `threshold`, `limit_id`, `properties`). */
  create(fields: LimitCreate, options: RequestOptions = {}): Promise<LimitResponse> {
    const w = 'payi.limits.create';
    object(w, 'limit', fields);
    onlyKnown(w, fields, ['limitName', 'max', 'limitType', 'threshold', 'limitId', 'properties']);
    required(w, 'limitName', fields.limitName, 'a non-empty string');
    required(w, 'max', fields.max, 'a number of USD >= 0');
    const body: ApiObject = { limit_name: text(w, 'limitName', fields.limitName), max: number(w, 'max', fields.max, 0) };
    const type = oneOf(w, 'limitType', fields.limitType, LIMIT_TYPES);
    if (type) body.limit_type = type;
    if (fields.threshold !== undefined) body.threshold = number(w, 'threshold', fields.threshold, 0);
    const id = optionalText(w, 'limitId', fields.limitId);
    if (id) body.limit_id = id;
    if (fields.properties !== undefined) {
      if (fields.properties === null || typeof fields.properties !== 'object' || Array.isArray(fields.properties)) invalid(w, 'properties', fields.properties, 'an object of strings');
      body.properties = stringifyProperties(fields.properties);
    }
    return this.http.request({ ...options, method: 'POST', path: LIMITS, body });
  }

  /** `GET /api/v1/limits` (cursor paged): `{ items: [Limit], cursor }`. */
  list(query: LimitListQuery = {}, options: RequestOptions = {}): Promise<CursorPage<PayiLimit>> {
    const w = 'payi.limits.list';
    object(w, 'query', query);
    onlyKnown(w, query, ['limitName', 'sortAscending', 'limit', 'cursor']);
    const q: Record<string, string | undefined> = {
      limit_name: optionalText(w, 'limitName', query.limitName),
      sort_ascending: query.sortAscending === undefined ? undefined : String(query.sortAscending === true),
      limit: query.limit === undefined ? undefined : String(number(w, 'limit', query.limit, 1)),
      cursor: optionalText(w, 'cursor', query.cursor),
    };
    return this.http.request({ ...options, method: 'GET', path: LIMITS, query: q });
  }

  /** `GET /api/v1/limits/{limit_id}`: `{ request_id, limit }` with its `totals`. */
  get(limitId: string, options: RequestOptions = {}): Promise<LimitResponse> {
    const id = text('payi.limits.get', 'limitId', limitId);
    return this.http.request({ ...options, method: 'GET', path: `${LIMITS}/${seg(id)}` });
  }

  /** `PUT /api/v1/limits/{limit_id}` with an `UpdateLimit` body: `max` and/or `limit_name`. */
  update(limitId: string, fields: LimitUpdate, options: RequestOptions = {}): Promise<LimitResponse> {
    const w = 'payi.limits.update';
    const id = text(w, 'limitId', limitId);
    object(w, 'fields', fields);
    onlyKnown(w, fields, ['max', 'limitName']);
    const body: ApiObject = {};
    if (fields.limitName !== undefined) body.limit_name = text(w, 'limitName', fields.limitName);
    if (fields.max !== undefined) body.max = number(w, 'max', fields.max, 0);
    if (Object.keys(body).length === 0) required(w, 'max or limitName', undefined, 'at least one of max, limitName');
    return this.http.request({ ...options, method: 'PUT', path: `${LIMITS}/${seg(id)}`, body });
  }

  /** `POST /api/v1/limits/{limit_id}/reset`: spend back to 0; `{ limit_history }` of the period that ended. */
  reset(limitId: string, options: RequestOptions = {}): Promise<LimitHistoryResponse> {
    const id = text('payi.limits.reset', 'limitId', limitId);
    return this.http.request({ ...options, method: 'POST', path: `${LIMITS}/${seg(id)}/reset` });
  }

  /** `DELETE /api/v1/limits/{limit_id}`. */
  delete(limitId: string, options: RequestOptions = {}): Promise<DefaultResponse> {
    const id = text('payi.limits.delete', 'limitId', limitId);
    return this.http.request({ ...options, method: 'DELETE', path: `${LIMITS}/${seg(id)}` });
  }
}
