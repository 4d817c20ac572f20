import type { Unpatch } from '../../src/recording/types';

/** Marks a payi wrapper; its value is the wrapped original. */
const WRAPPED = Symbol.for('payi-instrument.wrapped');

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** True when `fn` is a wrapper made by {@link patchMethod}. */
export function isPayiWrapper(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[WRAPPED] !== undefined;
}

/** The original method under a payi wrapper (or `fn` itself when it is not one). */
export function unwrapMethod<F>(fn: F): F {
  let cur: unknown = fn;
  while (isPayiWrapper(cur)) cur = (cur as unknown as Record<symbol, unknown>)[WRAPPED];
  return cur as F;
}

/**
 * Replaces `target[name]` (a method, usually on a prototype) with `makeWrapper(original)` and
 * returns how to undo it. Idempotent: a method that is already a payi wrapper is left alone and
 * `undefined` is returned, so the same prototype reached twice (or two SDK copies sharing a class)
 * is never double-wrapped. The undo restores the original own property; when someone else has
 * wrapped the method on top of ours since, the undo cannot remove ours from their chain, so it turns
 * it into a pass-through instead. Returns `undefined` when `target[name]` is not a function.
 *
 * @example
 * ```ts
 * const undo = patchMethod(Completions.prototype, 'create', (original) => function (this: unknown, ...args: unknown[]) {
 *   return original.apply(this, args);
 * });
 * undo?.();
 * ```
 */
export function patchMethod(target: object, name: string, makeWrapper: (original: AnyFn) => AnyFn): Unpatch | undefined {
  const rec = target as Record<string, unknown>;
  const original = rec[name];
  if (typeof original !== 'function' || isPayiWrapper(original)) return undefined;
  const ownDescriptor = Object.getOwnPropertyDescriptor(target, name);
  let active = true;
  const inner = makeWrapper(original as AnyFn);
  const wrapper = function payiWrapped(this: unknown, ...args: unknown[]): unknown {
    return active ? inner.apply(this, args) : (original as AnyFn).apply(this, args);
  };
  Object.defineProperty(wrapper, 'name', { value: (original as AnyFn).name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: (original as AnyFn).length, configurable: true });
  Object.defineProperty(wrapper, WRAPPED, { value: original, enumerable: false });
  Object.defineProperty(target, name, {
    value: wrapper,
    writable: ownDescriptor?.writable ?? true,
    enumerable: ownDescriptor?.enumerable ?? false,
    configurable: true,
  });
  return () => {
    active = false;
    if (rec[name] !== wrapper) return;
    if (ownDescriptor) Object.defineProperty(target, name, ownDescriptor);
    else delete rec[name];
  };
}
