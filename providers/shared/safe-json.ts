/**
 * `JSON.stringify(value)`, or `undefined` when it cannot be serialised (a cycle, a BigInt): a
 * prompt or response that cannot be logged is left out, never thrown into the provider call.
 *
 * @example
 * ```ts
 * safeJson({ a: 1 }); // '{"a":1}'
 * safeJson({ n: 1n }); // undefined
 * ```
 */
export function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
