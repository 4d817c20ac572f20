import type { TrackOptions } from '../src/context/types';

/**
 * What `@Track(...)`, `@Ingest(...)` and `@Proxy(...)` return: one decorator typed for both
 * TypeScript decorator modes, so the same import compiles under `strict` with TC39 standard
 * decorators (`experimentalDecorators` off) and with legacy `experimentalDecorators` (NestJS).
 * Only methods and classes are accepted by the types; other placements are compile errors and,
 * from JavaScript, throw `PayiConfigError` when applied.
 *
 * @example
 * ```ts
 * const chatbot: PayiDecorator = Track({ useCaseName: 'chatbot' });
 * class ChatService { @chatbot async reply(prompt: string) { ... } }
 * ```
 */
export interface PayiDecorator {
  /** TC39 standard decorator on a method (instance or static, generic methods included). */
  <This, Method extends (this: This, ...args: any) => any>(value: Method, context: ClassMethodDecoratorContext<This, Method>): Method;
  /** TC39 standard decorator on a class. */
  <Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
  /** Legacy (`experimentalDecorators`) decorator on a method (instance or static). */
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T> | void;
  /** Legacy (`experimentalDecorators`) decorator on a class. */
  <TFunction extends Function>(target: TFunction): TFunction | void;
}

/** Options of `@Ingest` and `@Proxy`: those of `@Track` without `proxy`, which the decorator sets. */
export type ModeScopeOptions = Omit<TrackOptions, 'proxy'>;
