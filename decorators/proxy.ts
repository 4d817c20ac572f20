import { createScopeDecorator } from './apply';
import type { ModeScopeOptions, PayiDecorator } from './types';

/**
 * `@Proxy(options?)`: `@Track` with `proxy: true`. Provider calls made in the scope carry the
 * frame as `xProxy-*` headers (for a client pointed at the Pay-i proxy) and nothing is ingested.
 * Also exported as {@link PayiProxy}, because `Proxy` shadows the global `Proxy`.
 *
 * @example
 * ```ts
 * class Support {
 *   @Proxy({ useCaseName: 'customer_support', requestTags: ['chat'] })
 *   answer(question: string) { return proxiedClient.chat.completions.create({ ... }); }
 * }
 * ```
 */
export function Proxy(options?: ModeScopeOptions): PayiDecorator {
  return createScopeDecorator('@Proxy', options, arguments.length, true);
}

/**
 * `@PayiProxy(options?)`: the same function as {@link Proxy}, under a name that does not shadow
 * the global `Proxy`.
 *
 * @example
 * ```ts
 * class Support { @PayiProxy({ useCaseName: 'customer_support' }) answer(q: string) { ... } }
 * ```
 */
export const PayiProxy = Proxy;
