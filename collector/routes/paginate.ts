import { requestId } from '../ids';

/** The query parameters of the spec's list operations (`limit`, `cursor`, `sort_ascending`), as strings (no type coercion). */
export const PAGE_QUERY = {
  limit: { type: 'string', pattern: '^[1-9][0-9]{0,6}$' },
  cursor: { type: 'string', pattern: '^[0-9]{1,9}$' },
  sort_ascending: { type: 'string', enum: ['true', 'false'] },
} as const;

/** The page parameters of a request. */
export interface PageQuery {
  limit?: string;
  cursor?: string;
  sort_ascending?: string;
}

/**
 * One page of a list in the spec's `PaginatedCursor…List` shape: `{ request_id, items, cursor? }`.
 * Items come in their stored order (`sort_ascending=false` reverses it); without `limit` every item
 * is on one page. `cursor` (present when more items follow) is what to send as `?cursor=` next.
 *
 * @example `page([1, 2, 3], { limit: '2' })` → `{ request_id, items: [1, 2], cursor: '2' }`
 */
export function page<T>(all: readonly T[], q: PageQuery): { request_id: string; items: T[]; cursor?: string } {
  const sorted = q.sort_ascending === 'false' ? [...all].reverse() : [...all];
  const from = q.cursor === undefined ? 0 : Number(q.cursor);
  const to = q.limit === undefined ? sorted.length : from + Number(q.limit);
  return { request_id: requestId(), items: sorted.slice(from, to), ...(to < sorted.length ? { cursor: String(to) } : {}) };
}

/**
 * {@link page} for lists whose item schema itself requires `request_id` (`UseCaseDefinitionResponse`,
 * `KpiResponse`): each item carries the list's request id.
 */
export function pageWithIds(all: readonly Record<string, unknown>[], q: PageQuery): { request_id: string; items: Record<string, unknown>[]; cursor?: string } {
  const p = page(all, q);
  return { ...p, items: p.items.map((item) => ({ request_id: p.request_id, ...item })) };
}
