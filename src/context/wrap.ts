import type { ScopeFactory } from './scope';
import { runWithFrame } from './store';
import type { Frame } from './types';
import { getLogger } from '../internal/logger';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type Kind = 'plain' | 'generator' | 'asyncGenerator';

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as Function;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as Function;
/** %IteratorPrototype% and %AsyncIteratorPrototype%: `[Symbol.iterator]`, and iterator helpers where Node has them. */
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())) as object;
const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})())) as object;

/** The wrappers made here: they are plain functions whatever the prototype chain says. */
const wrappers = new WeakSet<Function>();

function kindOf(fn: Function): Kind {
  if (wrappers.has(fn)) return 'plain';
  if (fn instanceof AsyncGeneratorFunction) return 'asyncGenerator';
  if (fn instanceof GeneratorFunction) return 'generator';
  return 'plain';
}

const IT = Symbol('iterator');
const FRAME = Symbol('frame');
interface Scoped {
  readonly [IT]: Generator | AsyncGenerator;
  readonly [FRAME]: Frame;
}

/**
 * The prototype of the iterators returned for generator methods: every `next`/`throw`/`return`
 * runs inside one frame (the frame built when the generator function was called), so code after
 * each `yield` sees the scope wherever the caller iterates from. It inherits from %IteratorPrototype%
 * (or %AsyncIteratorPrototype%), so `for...of`, spread and the iterator helpers keep working.
 */
function scopedIteratorPrototype(parent: object, tag: string): object {
  const methods = {
    next(this: Scoped, ...value: [] | [unknown]): unknown {
      return runWithFrame(this[FRAME], () => this[IT].next(...value));
    },
    throw(this: Scoped, error: unknown): unknown {
      return runWithFrame(this[FRAME], () => this[IT].throw(error));
    },
    return(this: Scoped, value?: unknown): unknown {
      return runWithFrame(this[FRAME], () => this[IT].return(value as never));
    },
  };
  const proto = Object.create(parent) as object;
  for (const [key, fn] of Object.entries(methods)) {
    Object.defineProperty(proto, key, { value: fn, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(proto, Symbol.toStringTag, { value: tag, configurable: true });
  return proto;
}
const scopedSync = scopedIteratorPrototype(IteratorPrototype, 'Generator');
const scopedAsync = scopedIteratorPrototype(AsyncIteratorPrototype, 'AsyncGenerator');

function scopedIterator(it: Generator | AsyncGenerator, frame: Frame, isAsync: boolean): unknown {
  return Object.create(isAsync ? scopedAsync : scopedSync, {
    [IT]: { value: it },
    [FRAME]: { value: frame },
  }) as unknown;
}

/**
 * Wraps `fn` so that every call runs inside a scope: the frame is built once per call by `factory`
 * from `{ self: this, args, method }` and the enclosing frame.
 *
 * - A plain or async function: the wrapper returns exactly what `fn` returned (a sync method stays
 *   sync, an async one returns its own promise); throws pass through unchanged and the outer frame
 *   is restored.
 * - A generator or async generator function: the wrapper returns an iterator whose every
 *   `next`/`throw`/`return` runs inside the frame built for that call.
 *
 * The wrapper keeps `fn`'s `name` and `length`, and inherits from `fn` (so `AsyncFunction` checks
 * and `reflect-metadata` lookups through the prototype chain still see the original). If building
 * the frame fails, the failure is logged and `fn` runs unscoped: the SDK never breaks the call.
 *
 * @example
 * ```ts
 * const reply = wrapInScope(original, compileScope({ useCaseName: 'chatbot' }, '@Track on `reply`'), 'reply');
 * ```
 */
export function wrapInScope<F extends Function>(fn: F, factory: ScopeFactory, method: string): F {
  const target = fn as unknown as AnyFunction;
  const kind = kindOf(fn);
  const enter = (self: unknown, args: unknown[]): Frame | undefined => {
    try {
      return factory({ self, args, method });
    } catch (err) {
      // Never break the call: log (even a throwing logger is survived) and run the method unscoped.
      try {
        getLogger().warn({ err }, `payi: the scope of ${method} could not be entered; the call runs unscoped`);
      } catch {}
      return undefined;
    }
  };

  const wrapped =
    kind === 'plain'
      ? function (this: unknown, ...args: unknown[]): unknown {
          const frame = enter(this, args);
          return frame === undefined ? target.apply(this, args) : runWithFrame(frame, () => target.apply(this, args));
        }
      : function (this: unknown, ...args: unknown[]): unknown {
          const frame = enter(this, args);
          if (frame === undefined) return target.apply(this, args);
          const it = runWithFrame(frame, () => target.apply(this, args)) as Generator | AsyncGenerator;
          return scopedIterator(it, frame, kind === 'asyncGenerator');
        };

  Object.setPrototypeOf(wrapped, fn);
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  wrappers.add(wrapped);
  return wrapped as unknown as F;
}
