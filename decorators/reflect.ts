/** The parts of the `reflect-metadata` API used here (present once `reflect-metadata` is loaded). */
interface ReflectMetadata {
  getOwnMetadataKeys(target: object): unknown[];
  getOwnMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

/**
 * Copies every `reflect-metadata` entry of `from` (a decorated method) onto `to` (its wrapper), so
 * frameworks that read metadata from the method (NestJS routes, guards, pipes, interceptors) find
 * it on the wrapper. Entries added to `from` later are still found by `Reflect.getMetadata`, because
 * the wrapper inherits from the original (see `wrap.ts`). A no-op when `reflect-metadata` is not loaded.
 *
 * @example
 * ```ts
 * copyReflectMetadata(descriptor.value, wrapped);
 * ```
 */
export function copyReflectMetadata(from: object, to: object): void {
  const api = Reflect as unknown as Partial<ReflectMetadata>;
  if (typeof api.getOwnMetadataKeys !== 'function' || typeof api.getOwnMetadata !== 'function' || typeof api.defineMetadata !== 'function') {
    return;
  }
  for (const key of api.getOwnMetadataKeys(from)) {
    api.defineMetadata(key, api.getOwnMetadata(key, from), to);
  }
}
