import { compileScope, type ScopeFactory } from '../src/context/scope';
import type { TrackOptions } from '../src/context/types';
import { PayiConfigError } from '../src/errors';
import { rememberClassOptions, rememberMethodOptions } from './metadata';
import { copyReflectMetadata } from './reflect';
import type { PayiDecorator } from './types';
import { wrapInScope } from '../src/context/wrap';

/** A TC39 standard decorator context, as far as this module reads it. */
interface StandardContext {
  readonly kind: string;
  readonly name?: string | symbol;
  readonly static?: boolean;
  readonly metadata?: object;
}

const keyName = (key: PropertyKey): string => (typeof key === 'symbol' ? `[${key.description ?? ''}]` : String(key));

const isStandardContext = (value: unknown): value is StandardContext =>
  value !== null && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string';

const PLACES: Record<string, string> = {
  field: 'a field',
  accessor: 'an auto-accessor',
  'get-set': 'an accessor',
  getter: 'a getter',
  setter: 'a setter',
  parameter: 'a parameter',
};

function unsupported(decorator: string, kind: string, where: string): PayiConfigError {
  const what = PLACES[kind] ?? `a ${kind}`;
  return new PayiConfigError(
    `${decorator} on ${where}: ${what} cannot be tracked; put ${decorator} on a method or a class`,
    decorator,
    kind,
  );
}

/**
 * Wraps every own method of a class in a scope: instance methods on the prototype and static
 * methods on the constructor; not the constructor, not accessors, not fields (fields are
 * enumerable data properties, methods are not). A method that already has its own decorator is
 * wrapped again, so the class scope is the parent and the method scope the child.
 */
function wrapClassMethods(cls: Function, factory: ScopeFactory): void {
  for (const holder of [cls.prototype as object | undefined, cls]) {
    if (holder === null || (typeof holder !== 'object' && typeof holder !== 'function')) continue;
    for (const key of Reflect.ownKeys(holder)) {
      if (holder !== cls && key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(holder, key);
      if (!d || !('value' in d) || typeof d.value !== 'function' || d.enumerable || !d.configurable) continue;
      const wrapped = wrapInScope(d.value as Function, factory, keyName(key));
      copyReflectMetadata(d.value as Function, wrapped);
      Object.defineProperty(holder, key, { ...d, value: wrapped });
    }
  }
}

function applyStandard(decorator: string, options: Readonly<TrackOptions>, value: unknown, context: StandardContext): unknown {
  const name = context.name === undefined ? undefined : keyName(context.name);
  if (context.kind === 'method') {
    const label = `${context.static ? 'static ' : ''}${name}`;
    // The class is not known to a standard method decorator yet: the place names the method.
    const factory = compileScope(options, `${decorator} on \`${label}\``);
    if (context.metadata) rememberMethodOptions({ metadata: context.metadata }, context.name as PropertyKey, context.static === true, options);
    return wrapInScope(value as Function, factory, name ?? 'anonymous');
  }
  if (context.kind === 'class') {
    const cls = value as Function;
    const factory = compileScope(options, `${decorator} on class \`${name ?? (cls.name || 'anonymous')}\``);
    if (context.metadata) rememberClassOptions({ metadata: context.metadata }, options, cls);
    else rememberClassOptions({ ctor: cls }, options);
    wrapClassMethods(cls, factory);
    return undefined;
  }
  throw unsupported(decorator, context.kind, `\`${context.static ? 'static ' : ''}${name ?? 'anonymous'}\``);
}

function applyLegacy(decorator: string, options: Readonly<TrackOptions>, target: unknown, key: unknown, descriptor: unknown): unknown {
  if (key === undefined && typeof descriptor !== 'number') {
    if (typeof target !== 'function') {
      throw new PayiConfigError(`${decorator} was applied to ${String(target)}; put ${decorator} on a method or a class`, decorator, target);
    }
    const factory = compileScope(options, `${decorator} on class \`${target.name || 'anonymous'}\``);
    rememberClassOptions({ ctor: target }, options);
    wrapClassMethods(target, factory);
    return undefined;
  }
  const isStatic = typeof target === 'function';
  const ctor = (isStatic ? target : (target as { constructor?: unknown } | null)?.constructor) as Function | undefined;
  const className = ctor?.name || 'anonymous';
  const label = key === undefined ? `${className} constructor` : `${className}.${keyName(key as PropertyKey)}`;
  if (typeof descriptor === 'number') throw unsupported(decorator, 'parameter', `parameter ${descriptor} of \`${label}\``);
  const d = descriptor as PropertyDescriptor | undefined;
  if (d === undefined || d === null || typeof d !== 'object') throw unsupported(decorator, 'field', `\`${label}\``);
  if (d.get || d.set) throw unsupported(decorator, d.get && d.set ? 'get-set' : d.get ? 'getter' : 'setter', `\`${label}\``);
  if (typeof d.value !== 'function') throw unsupported(decorator, 'field', `\`${label}\``);

  const factory = compileScope(options, `${decorator} on \`${label}\``);
  if (ctor) rememberMethodOptions({ ctor }, key as PropertyKey, isStatic, options);
  const original = d.value as Function;
  const wrapped = wrapInScope(original, factory, keyName(key as PropertyKey));
  // Decorators written below this one ran already (their metadata is on `original`); those written
  // above run next and put their metadata on the wrapper they receive.
  copyReflectMetadata(original, wrapped);
  d.value = wrapped;
  return d;
}

/**
 * Builds a scope decorator (`@Track`, `@Ingest`, `@Proxy`) that works in both TypeScript decorator
 * modes. The mode is detected per application: standard when the second argument is an object with
 * a `kind` string, else legacy `(target, key, descriptor)` for a member or `(constructor)` for a class.
 *
 * @example
 * ```ts
 * export function Track(options?: TrackOptions): PayiDecorator {
 *   return createScopeDecorator('@Track', options, arguments.length);
 * }
 * ```
 */
export function createScopeDecorator(decorator: string, options: TrackOptions | undefined, argCount: number, proxy?: boolean): PayiDecorator {
  if (argCount > 1 || typeof options === 'function') {
    throw new PayiConfigError(
      `${decorator} must be called: write ${decorator}() or ${decorator}({ useCaseName: 'chatbot' }), with parentheses`,
      decorator,
      options,
    );
  }
  const forced = proxy === undefined ? {} : { proxy };
  // A non-object is kept as given: compileScope rejects it when applied, naming the place.
  const effective: Readonly<TrackOptions> =
    options === undefined
      ? Object.freeze(forced)
      : options !== null && typeof options === 'object' && !Array.isArray(options)
        ? Object.freeze({ ...options, ...forced })
        : options;
  return function payiScopeDecorator(value: unknown, context?: unknown, descriptor?: unknown): unknown {
    return isStandardContext(context)
      ? applyStandard(decorator, effective, value, context)
      : applyLegacy(decorator, effective, value, context, descriptor);
  } as PayiDecorator;
}
