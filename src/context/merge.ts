import { randomUUID } from 'node:crypto';
import { ATTRIBUTION_FIELDS } from '../wire/fields';
import type { Frame, Properties, ScopeValues } from './types';
import { isEmptyObject } from '../internal/empty';

/** Hooks of {@link mergeFrame}: how new use case ids are made and how ignored fields are reported. */
export interface MergeHooks {
  /** Makes a new use case instance id (default: `crypto.randomUUID()`, a UUID v4). */
  newId?: () => string;
  /** Called with the names of use-case fields given where no use case name is in scope. */
  onIgnored?: (fields: readonly string[]) => void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type Row = (typeof ATTRIBUTION_FIELDS)[number];
type OptionsWith<M> = Extract<Row, { merge: M }>['option'];
function optionsBy<M extends Row['merge']>(merge: M): readonly OptionsWith<M>[] {
  const options: string[] = (ATTRIBUTION_FIELDS as readonly Row[]).filter((f) => f.merge === merge).map((f) => f.option);
  return options as unknown as readonly OptionsWith<M>[];
}

// The merge rule of each field comes from the attribution table (src/wire/fields.ts).
const UNIONS = optionsBy('union');
const INNERMOST_WINS = optionsBy('innermost');
const PROPERTY_BAGS = optionsBy('properties');
const SWITCHES = optionsBy('switch');
const USE_CASE_FIELDS = optionsBy('useCase');

/** `undefined`, `null`, `""` or `{}`: a value that inherits or clears rather than sets. */
const isClearing = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (typeof v === 'object' && isEmptyObject(v as object));

/**
 * Merges a child scope's values into its parent frame and returns the new, frozen frame.
 * Pure: it never mutates `parent` or `child`. The rules, field by field (contract §3):
 *
 * 1. `undefined` inherits the parent's value. `null` and an empty value (`""`, `[]`, `{}`) clear the
 *    field: nothing is inherited.
 * 2. `limitIds`, `requestTags`: the union of parent and child, de-duplicated, the parent's order
 *    first, then the child's new ids in the child's order.
 * 3. `userId`, `accountName`, `priceAsCategory`, `priceAsResource`, `resourceScope`: the innermost
 *    value wins.
 * 4. `requestProperties`: the parent's keys merged with the child's; the child wins per key.
 * 5. `useCaseName` absent: the whole use-case group (name, id, version, step, properties) is
 *    inherited; `useCaseId`/`useCaseVersion`/`useCaseStep`/`useCaseProperties` given at this level
 *    then set fields of the inherited use case (properties merged per key, child wins). With no
 *    use case name in scope they are ignored and reported through `hooks.onIgnored`.
 * 6. `useCaseName` empty or `null`: the whole use-case group is cleared.
 * 7. `useCaseName` equal to the parent's: same use case instance; the parent's id, version, step and
 *    properties are kept unless given here (properties merged per key).
 * 8. `useCaseName` different from the parent's (or the parent has none): a new use case instance
 *    with `useCaseId` if given, else a new UUID v4; version, step and properties come only from this
 *    level.
 * 9. `logPromptAndResponse`, `proxy`: the child's value when given, else the parent's.
 *
 * @example
 * ```ts
 * mergeFrame({ limitIds: ['a'] }, { limitIds: ['b', 'a'] }).limitIds // ['a', 'b']
 * ```
 */
export function mergeFrame(parent: Frame, child: ScopeValues, hooks: MergeHooks = {}): Frame {
  const out: Mutable<Frame> = {};

  for (const key of UNIONS) mergeList(out, parent, child, key);
  for (const key of INNERMOST_WINS) {
    const given = child[key];
    if (given === undefined) {
      if (parent[key] !== undefined) out[key] = parent[key];
    } else if (given !== null && given !== '') {
      out[key] = given;
    }
  }
  for (const key of PROPERTY_BAGS) {
    const props = mergeProperties(parent[key], child[key]);
    if (props !== undefined) out[key] = props;
  }

  mergeUseCase(out, parent, child, hooks);

  for (const key of SWITCHES) {
    const given = child[key];
    const value = given === undefined || given === null ? parent[key] : given;
    if (value !== undefined) out[key] = value;
  }

  return Object.freeze(out);
}

function mergeList(out: Mutable<Frame>, parent: Frame, child: ScopeValues, key: 'limitIds' | 'requestTags'): void {
  const given = child[key];
  if (given === undefined) {
    if (parent[key] !== undefined) out[key] = parent[key];
    return;
  }
  if (given === null || given.length === 0) return;
  const inherited = parent[key];
  // (one id and none inherited, the usual case: no set to make)
  const union = inherited === undefined && given.length === 1 ? [given[0]!] : [...new Set([...(inherited ?? []), ...given])];
  out[key] = Object.freeze(union);
}

function mergeProperties(parent: Properties | undefined, given: Properties | null | undefined): Properties | undefined {
  if (given === undefined) return parent;
  if (given === null || isEmptyObject(given)) return undefined;
  return Object.freeze({ ...(parent ?? {}), ...given });
}

function mergeUseCase(out: Mutable<Frame>, parent: Frame, child: ScopeValues, hooks: MergeHooks): void {
  const name = child.useCaseName;
  if (name === null || name === '') return; // rule 6: clears the whole group

  let base: Frame;
  let useCaseId: string | undefined;
  if (name === undefined || name === parent.useCaseName) {
    if (parent.useCaseName === undefined) {
      // rule 5 with no use case in scope: use-case fields given here have nothing to attach to
      // (clearing them, with null or an empty value, is not worth a warning: there is nothing to clear)
      const ignored = USE_CASE_FIELDS.filter(
        (k) => !isClearing(child[k]),
      );
      if (ignored.length > 0) hooks.onIgnored?.(ignored);
      return;
    }
    base = parent; // rules 5 and 7: the same use case instance
    useCaseId = parent.useCaseId;
  } else {
    base = {}; // rule 8: a new use case instance
    useCaseId = child.useCaseId === undefined ? (hooks.newId ?? randomUUID)() : undefined;
  }

  out.useCaseName = base.useCaseName ?? name;
  if (child.useCaseId !== undefined) useCaseId = child.useCaseId || undefined;
  if (useCaseId !== undefined) out.useCaseId = useCaseId;
  const version = child.useCaseVersion === undefined ? base.useCaseVersion : child.useCaseVersion ?? undefined;
  if (version !== undefined) out.useCaseVersion = version;
  const step = child.useCaseStep === undefined ? base.useCaseStep : child.useCaseStep || undefined;
  if (step !== undefined) out.useCaseStep = step;
  const ucProps = mergeProperties(base.useCaseProperties, child.useCaseProperties);
  if (ucProps !== undefined) out.useCaseProperties = ucProps;
}
