/**
 * A call's request body as the Stainless SDK (`openai`) serialised it for the wire, so that
 * `provider_request_json` is that string instead of the same body serialised a second time. The
 * client's `buildBody` (which makes the request body on every attempt) is observed; only bodies a
 * call asked for ({@link expectSentBody}) are kept, each until the call takes it
 * ({@link takeSentBody}). A body the SDK did not serialise itself (another encoder, a stream, a
 * copy made on the way) is not found, and the caller serialises it as before.
 */
import type { Unpatch } from '../../src/recording/types';
import { patchMethod } from './patch';

/** Per body object a call asked for: the string sent, or `null` until the SDK made it. */
const sent = new WeakMap<object, string | null>();

/**
 * Observes `buildBody` on a Stainless client class's prototype (every copy of the SDK has its own).
 * Returns the undo, or `undefined` when the class has no `buildBody` (nothing is then found).
 *
 * @example
 * ```ts
 * const undo = watchSentBodies(OpenAI.prototype);
 * ```
 */
export function watchSentBodies(clientPrototype: object): Unpatch | undefined {
  return patchMethod(clientPrototype, 'buildBody', (original) => {
    return function payiBuildBody(this: unknown, ...args: unknown[]): unknown {
      const out = original.apply(this, args);
      try {
        const body = (args[0] as { options?: { body?: unknown } } | undefined)?.options?.body;
        if (body !== null && typeof body === 'object' && sent.has(body)) {
          const made = (out as { body?: unknown } | null | undefined)?.body;
          if (typeof made === 'string') sent.set(body, made);
        }
      } catch {
        /* an odd argument: the call serialises its body itself */
      }
      return out;
    };
  });
}

/**
 * Asks for the string the SDK will make of `body` (an object passed to it as the request body).
 *
 * @example
 * ```ts
 * expectSentBody(body); // before calling the SDK's create(body)
 * ```
 */
export function expectSentBody(body: object): void {
  sent.set(body, null);
}

/**
 * The string the SDK made of `body`, once (the entry is dropped), or `undefined` when it made none
 * (the request was not built, or the body was not sent as this object).
 *
 * @example
 * ```ts
 * const json = takeSentBody(body) ?? JSON.stringify(body);
 * ```
 */
export function takeSentBody(body: object): string | undefined {
  const json = sent.get(body);
  sent.delete(body);
  return json ?? undefined;
}
