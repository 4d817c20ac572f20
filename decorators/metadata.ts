import type { TrackOptions } from '../src/context/types';
import { PayiConfigError } from '../src/errors';

/** What the decorators of one class were given. */
interface TrackRecord {
  classOptions?: Readonly<TrackOptions>;
  readonly methods: Map<PropertyKey, Readonly<TrackOptions>>;
  readonly statics: Map<PropertyKey, Readonly<TrackOptions>>;
}

/**
 * Per-class decorator data. Standard decorators know the class only through `context.metadata`
 * (one object per class, see `polyfill.ts`), so records are keyed by that object; legacy decorators
 * know the constructor. A standard class decorator links its constructor to the same record.
 */
const byMetadata = new WeakMap<object, TrackRecord>();
const byClass = new WeakMap<object, TrackRecord>();

/**
 * Where a decorator's record lives: the standard `context.metadata` object or the legacy constructor.
 * @example `rememberMethodOptions({ metadata: context.metadata }, 'reply', false, options)`
 */
export type RecordKey = { readonly metadata: object } | { readonly ctor: Function };

function recordAt(key: RecordKey): TrackRecord {
  const map = 'metadata' in key ? byMetadata : byClass;
  const k = 'metadata' in key ? key.metadata : key.ctor;
  let record = map.get(k);
  if (!record) {
    record = { methods: new Map(), statics: new Map() };
    map.set(k, record);
  }
  return record;
}

/**
 * Remembers the options of a method-level decorator (internal).
 * @example `rememberMethodOptions({ ctor: ChatService }, 'reply', false, { limitIds: ['daily'] })`
 */
export function rememberMethodOptions(key: RecordKey, name: PropertyKey, isStatic: boolean, options: Readonly<TrackOptions>): void {
  recordAt(key)[isStatic ? 'statics' : 'methods'].set(name, options);
}

/**
 * Remembers the options of a class-level decorator (internal); `ctor` links a standard record to its class.
 * @example `rememberClassOptions({ metadata: context.metadata }, { useCaseName: 'chatbot' }, ChatService)`
 */
export function rememberClassOptions(key: RecordKey, options: Readonly<TrackOptions>, ctor?: Function): void {
  const record = recordAt(key);
  record.classOptions = options;
  if (ctor && 'metadata' in key) byClass.set(ctor, record);
}

function recordOf(cls: Function): TrackRecord | undefined {
  const own = byClass.get(cls);
  if (own) return own;
  const sym = (Symbol as unknown as { metadata?: symbol }).metadata;
  if (sym === undefined || !Object.prototype.hasOwnProperty.call(cls, sym)) return undefined;
  const metadata = (cls as unknown as Record<symbol, unknown>)[sym];
  return metadata !== null && typeof metadata === 'object' ? byMetadata.get(metadata) : undefined;
}

const hasOwn = (o: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * The options given to `@Track`, `@Ingest` or `@Proxy` on a class (no `methodName`) or on one of
 * its methods (instance or static; an inherited method is looked up on the class that defines it),
 * or `undefined` when there is no such decorator. `@Ingest` and `@Proxy` report the `proxy` value
 * they set. The result is a frozen copy; function-valued options are the functions given.
 *
 * @example
 * ```ts
 * @Track({ useCaseName: 'chatbot' })
 * class ChatService { @Track({ limitIds: ['daily'] }) reply() {} }
 * getTrackMetadata(ChatService);          // { useCaseName: 'chatbot' }
 * getTrackMetadata(ChatService, 'reply'); // { limitIds: ['daily'] }
 * ```
 */
export function getTrackMetadata(target: Function, methodName?: string | symbol): Readonly<TrackOptions> | undefined {
  if (typeof target !== 'function') {
    throw new PayiConfigError(
      `getTrackMetadata: target ${String(target)} is not a class; expected getTrackMetadata(MyClass) or getTrackMetadata(MyClass, 'method')`,
      'target',
      target,
    );
  }
  if (methodName === undefined) return recordOf(target)?.classOptions;
  for (let cls: unknown = target; typeof cls === 'function' && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
    const proto = (cls as { prototype?: unknown }).prototype;
    const ownsInstance = proto !== null && typeof proto === 'object' && hasOwn(proto, methodName);
    const ownsStatic = hasOwn(cls, methodName);
    if (!ownsInstance && !ownsStatic) continue;
    const record = recordOf(cls);
    return (ownsInstance ? record?.methods.get(methodName) : undefined) ?? (ownsStatic ? record?.statics.get(methodName) : undefined);
  }
  return undefined;
}
