import type { InstrumentationHub, Unpatch } from '../../src/recording/types';
import { catalogueEntry } from '../registry';
import { patchMethod } from '../shared/patch';
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

/**
 * The copies of the SDK to patch: `settings.modules.bedrock` (the module namespace or the
 * `BedrockRuntimeClient` class, for bundlers), and the package as resolved from the application's
 * directory and from this package. The package has no `exports` map, so `require` and `import`
 * both load its CommonJS build on Node: one copy per installation.
 */
export function findBedrockModules(given: unknown): ModuleLike[] {
  const found = new Set<ModuleLike>();
  if (typeof given === 'function') found.add({ BedrockRuntimeClient: given as unknown as ClientClass });
  else if (given && typeof given === 'object') found.add(given as ModuleLike);
  for (const base of [process.cwd(), __dirname]) {
    try {
      found.add(require(require.resolve(BEDROCK_PACKAGE, { paths: [base] })) as ModuleLike);
    } catch {
      /* not installed there */
    }
  }
  return [...found].filter((m) => typeof m.BedrockRuntimeClient?.prototype?.send === 'function');
}

/** Which instrumented command a command object is: by the module's command classes, else by class name. */
function kindFinder(modules: readonly ModuleLike[]): (command: unknown) => BedrockCommandKind | undefined {
  const byClass = new Map<unknown, BedrockCommandKind>();
  for (const m of modules) for (const k of KINDS) if (typeof m[`${k}Command`] === 'function') byClass.set(m[`${k}Command`], k);
  return (command) => {
    const ctor = (command as { constructor?: { name?: string } } | null)?.constructor;
    const hit = byClass.get(ctor);
    if (hit) return hit;
    const name = ctor?.name?.replace(/Command$/, '');
    return KINDS.find((k) => k === name);
  };
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
 * which sends through the same `send`). Returns the undo, or `undefined` when the SDK is not installed.
 *
 * @example
 * ```ts
 * payiInstrument({ instruments: ['bedrock'] });
 * await new BedrockRuntimeClient({ region: 'us-east-1' }).send(new ConverseCommand({ modelId, messages }));
 * ```
 */
export function instrumentBedrock(hub: InstrumentationHub): Unpatch | undefined {
  const modules = findBedrockModules(hub.settings.modules.bedrock);
  if (modules.length === 0) return undefined;
  const kindOf = kindFinder(modules);
  const undos: Unpatch[] = [];
  for (const cls of new Set(modules.map((m) => m.BedrockRuntimeClient!))) {
    const undo = patchClient(cls, hub, kindOf);
    if (undo) undos.push(undo);
  }
  return () => {
    for (const undo of undos.reverse()) undo();
    removeMiddleware();
  };
}
