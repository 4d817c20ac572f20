/**
 * True when `o` has no own enumerable string key (as `Object.keys(o).length === 0`, without
 * allocating the key list: it runs per scope entry and per recorded event).
 *
 * @example
 * ```ts
 * isEmptyObject({}); // true
 * isEmptyObject({ a: 1 }); // false
 * ```
 */
export function isEmptyObject(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return false;
  return true;
}
