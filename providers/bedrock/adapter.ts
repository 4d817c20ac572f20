import type { InstrumentationHub, Unpatch } from '../../src/recording/types';
import { catalogueEntry } from '../registry';
import { patchMethod } from '../shared/patch';
import { instrumentModuleCopies } from '../shared/resolve-module';
import { removeMiddleware } from './middleware';
import { makeSend } from './send';
import type { BedrockClientLike, BedrockCommandKind } from './types';

/** The npm package the adapter patches (from the catalogue). */
export const BEDROCK_PACKAGE = catalogueEntry('bedrock').packageName;

const KINDS: readonly BedrockCommandKind[] = ['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream'];

type Send = BedrockClientLike['send'];
type ClientClass = { prototype: BedrockClientLike };
interface ModuleLike {
  BedrockRuntimeClient?: ClientClass;
  [command: string]: unknown;
}

/** A module handed over in `settings.modules.bedrock`: the namespace, or the `BedrockRuntimeClient` class (for bundlers). */
function asModule(given: unknown): ModuleLike {
  return typeof given === 'function' ? { BedrockRuntimeClient: given as unknown as ClientClass } : (given as ModuleLike);
}

/** Which instrumented command a command object is: by the command classes of the modules `learn` was given, else by class name. */
function kindFinder(): { learn(m: ModuleLike): void; kindOf(command: unknown): BedrockCommandKind | undefined } {
  const byClass = new Map<unknown, BedrockCommandKind>();
  const learn = (m: ModuleLike): void => {
    for (const k of KINDS) if (typeof m[`${k}Command`] === 'function') byClass.set(m[`${k}Command`], k);
  };
  return { learn, kindOf: (command) => {
    const ctor = (command as { constructor?: { name?: string } } | null)?.constructor;
    const hit = byClass.get(ctor);
    if (hit) return hit;
    const name = ctor?.name?.replace(/Command$/, '');
    return KINDS.find((k) => k === name);
  } };
}

/**
 * Patches `send` on one client class's prototype (with the shared `patchMethod`, so a prototype
 * reached twice is wrapped once); returns the undo. Without an own `send` the SDK's inherited one
 * (smithy `Client.prototype.send`) is looked up at call time, so a later patch of the base class by
 * another tool is still honoured.
 */
function patchClient(cls: ClientClass, hub: InstrumentationHub, kindOf: (c: unknown) => BedrockCommandKind | undefined): Unpatch | undefined {
  const proto = cls.prototype;
  const hasOwn = Object.prototype.hasOwnProperty.call(proto, 'send');
  const parent = Object.getPrototypeOf(proto) as { send?: Send } | null;
  return patchMethod(proto, 'send', (captured) => {
    const original = (self: BedrockClientLike): Send => (hasOwn ? (captured as unknown as Send) : (parent?.send ?? (Object.getPrototypeOf(self) as { send: Send }).send));
    return makeSend(hub, original, kindOf) as unknown as (this: unknown, ...args: unknown[]) => unknown;
  });
}

/**
 * The AWS Bedrock runtime adapter (contract §5): `BedrockRuntimeClient.send` with `ConverseCommand`,
 * `ConverseStreamCommand`, `InvokeModelCommand` and `InvokeModelWithResponseStreamCommand`, for
 * clients created before and after `payiInstrument()` (and the `BedrockRuntime` aggregated client,
 * which sends through the same `send`), each copy of the SDK when it is loaded. Returns the undo, or
 * `undefined` when the SDK is not installed.
 *
 * @example
 * ```ts
 * payiInstrument({ instruments: ['bedrock'] });
 * await new BedrockRuntimeClient({ region: 'us-east-1' }).send(new ConverseCommand({ modelId, messages }));
 * ```
 */
export function instrumentBedrock(hub: InstrumentationHub): Unpatch | undefined {
  const kinds = kindFinder();
  // The package has no `exports` map: `require` and `import` both load its CommonJS build on Node.
  const undo = instrumentModuleCopies(BEDROCK_PACKAGE, { given: hub.settings.modules.bedrock, searchFrom: [process.cwd(), __dirname], esm: false, logger: hub.logger }, (copy) => {
    const m = asModule(copy.exports);
    const cls = m.BedrockRuntimeClient;
    if (typeof cls?.prototype?.send !== 'function') return [];
    kinds.learn(m);
    const patched = patchClient(cls, hub, kinds.kindOf);
    return patched ? [patched] : [];
  });
  if (!undo) return undefined;
  return () => {
    undo();
    removeMiddleware();
  };
}
