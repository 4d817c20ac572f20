import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Reads `stream` to its end as a caller would, keeping only weak references to the items it got.
 *
 * @example
 * ```ts
 * const refs = await readWeakly(stream);
 * expect(await aliveAfterGc(refs)).toBe(0);
 * ```
 */
export async function readWeakly(stream: AsyncIterable<unknown>): Promise<WeakRef<object>[]> {
  const refs: WeakRef<object>[] = [];
  for await (const item of stream) refs.push(new WeakRef(item as object));
  return refs;
}

/** How many of `refs` are still alive after a full garbage collection (run after the current job, which holds them). */
export async function aliveAfterGc(refs: readonly WeakRef<object>[]): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return refs.filter((r) => r.deref() !== undefined).length;
}
