/**
 * `Symbol.metadata` polyfill, imported for its side effect at the top of `decorators/index.ts`.
 *
 * Why: TC39 standard decorators give every decorator a `context.metadata` object, one per class,
 * which is where `@Track` keeps per-class data (see `metadata.ts`). TypeScript's emitted code only
 * creates that object when `Symbol.metadata` exists at the moment the class is defined, and Node 20,
 * 22 and 24 do not define it yet: without this polyfill `context.metadata` is `undefined`. The
 * polyfill must run before any decorated class is defined, so it lives in its own module imported
 * first (a statement above the imports of the same file would run too late in native ESM, where
 * imports are hoisted). `Symbol.for` makes two copies of the SDK (CommonJS and ESM) agree on one
 * symbol. Legacy `experimentalDecorators` do not use it.
 *
 * @example
 * ```ts
 * import './polyfill'; // then: class C { @Track() m() {} }  -> C[Symbol.metadata] is an object
 * ```
 */
const symbols = Symbol as unknown as { metadata?: symbol };
if (typeof symbols.metadata !== 'symbol') {
  Object.defineProperty(Symbol, 'metadata', {
    value: Symbol.for('Symbol.metadata'),
    writable: false,
    enumerable: false,
    configurable: false,
  });
}

export {};
