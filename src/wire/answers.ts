/** Reading the spec's answers: per-item bulk errors. */
import type { BulkIngestResponse } from './types';

/** One refused bulk item, flattened from `IndexApiError`. */
export interface ItemError {
  /** The item's index in the request's array. */
  index: number;
  /** `xproxy_result.statusCode` (400 malformed; 408, 429 and 5xx mean "try again"). */
  status?: number;
  /** `xproxy_result.xproxy_error.code`. */
  code?: string;
  /** `xproxy_result.message` (or the `xproxy_error`'s). */
  message?: string;
}

/**
 * The refused items of a bulk answer, by `item_index` (entries without a valid index are ignored).
 *
 * @example
 * ```ts
 * bulkItemErrors({ errors: [{ item_index: 1, xproxy_result: { message: 'bad', statusCode: 400 } }] }).get(1)?.status; // 400
 * ```
 */
export function bulkItemErrors(answer: Partial<BulkIngestResponse> | null | undefined): Map<number, ItemError> {
  const out = new Map<number, ItemError>();
  for (const e of Array.isArray(answer?.errors) ? answer.errors : []) {
    if (!e || typeof e !== 'object' || typeof e.item_index !== 'number' || !Number.isInteger(e.item_index)) continue;
    const r = e.xproxy_result && typeof e.xproxy_result === 'object' ? e.xproxy_result : undefined;
    const item: ItemError = { index: e.item_index };
    if (typeof r?.statusCode === 'number') item.status = r.statusCode;
    const code = r?.xproxy_error?.code;
    if (typeof code === 'string' && code !== '') item.code = code;
    const message = typeof r?.message === 'string' && r.message !== '' ? r.message : r?.xproxy_error?.message;
    if (typeof message === 'string' && message !== '') item.message = message;
    out.set(e.item_index, item);
  }
  return out;
}
