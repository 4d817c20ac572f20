import { ATTRIBUTION_FIELDS, type AttributionOption } from '../wire/fields';

/** A property value as the SDK accepts it; sent to the service as a string (`null` kept). */
export type PropertyValue = string | number | boolean | null;

/** A bag of properties (`requestProperties`, `useCaseProperties`). */
export type Properties = Readonly<Record<string, PropertyValue>>;

/**
 * One frame of the scope stack: the merged attribution a provider call made inside the scope gets.
 * Frames are frozen; entering a scope builds a new one from its parent.
 */
export interface Frame {
  readonly useCaseName?: string;
  readonly useCaseId?: string;
  readonly useCaseVersion?: number;
  readonly useCaseStep?: string;
  readonly useCaseProperties?: Properties;
  readonly limitIds?: readonly string[];
  readonly requestTags?: readonly string[];
  readonly userId?: string;
  readonly accountName?: string;
  readonly requestProperties?: Properties;
  readonly priceAsCategory?: string;
  readonly priceAsResource?: string;
  readonly resourceScope?: string;
  readonly logPromptAndResponse?: boolean;
  readonly proxy?: boolean;
}

/** The values a scope may set, after function-valued options have been evaluated for the call. */
export interface ScopeValues {
  useCaseName?: string | null;
  useCaseId?: string | null;
  useCaseVersion?: number | null;
  useCaseStep?: string | null;
  useCaseProperties?: Properties | null;
  limitIds?: readonly string[] | null;
  requestTags?: readonly string[] | null;
  userId?: string | null;
  accountName?: string | null;
  requestProperties?: Properties | null;
  priceAsCategory?: string | null;
  priceAsResource?: string | null;
  resourceScope?: string | null;
  logPromptAndResponse?: boolean | null;
  proxy?: boolean | null;
}

/**
 * What a function-valued scope option receives: the call being made.
 * `self` is the `this` of the call, `args` its arguments, `method` the method's name.
 * For `trackContext` it is `{ args: [] }`.
 */
export interface CallInfo {
  readonly self?: unknown;
  readonly args: readonly unknown[];
  readonly method?: string;
}

/** A scope option: a value, or a function of the call evaluated at each call. */
export type OptionValue<T> = T | ((call: CallInfo) => T);

/**
 * Options of a scope (`@Track`, `track`, `trackContext`), contract §3. Every field is optional;
 * `undefined` inherits from the enclosing scope, an empty value (`""`, `[]`, `{}`) clears it.
 *
 * @example
 * ```ts
 * @Track({ useCaseName: 'chatbot', limitIds: ['daily'], userId: ({ args }) => String(args[1]) })
 * ```
 */
export interface TrackOptions {
  /** Use case name (1-64 of `A-Z a-z 0-9 . - _`). A different name from the parent's starts a new use case instance. */
  useCaseName?: OptionValue<string | null | undefined>;
  /** Use case instance id; default: the parent's for the same name, else a new UUID v4. */
  useCaseId?: OptionValue<string | null | undefined>;
  /** Use case version (a non-negative integer). */
  useCaseVersion?: OptionValue<number | null | undefined>;
  /** Step within the use case. */
  useCaseStep?: OptionValue<string | null | undefined>;
  /** Properties of the use case instance, merged per key with the same use case's. */
  useCaseProperties?: OptionValue<Properties | null | undefined>;
  /** Limit ids; unioned with the parent's (parent's order first). */
  limitIds?: OptionValue<readonly string[] | null | undefined>;
  /** Request tags; unioned with the parent's. */
  requestTags?: OptionValue<readonly string[] | null | undefined>;
  /** End user; innermost wins. */
  userId?: OptionValue<string | null | undefined>;
  /** Account name; innermost wins. */
  accountName?: OptionValue<string | null | undefined>;
  /** Request properties, merged per key with the parent's (child wins). */
  requestProperties?: OptionValue<Properties | null | undefined>;
  /** Price the call as this category instead of the provider's. */
  priceAsCategory?: OptionValue<string | null | undefined>;
  /** Price the call as this resource instead of the model. */
  priceAsResource?: OptionValue<string | null | undefined>;
  /** Resource scope: `global`, `datazone`, `region` or `region.<name>`. */
  resourceScope?: OptionValue<string | null | undefined>;
  /** Include prompt and response in events made in this scope. */
  logPromptAndResponse?: OptionValue<boolean | null | undefined>;
  /** `true`: proxy mode (headers on the provider call, nothing ingested); `false`: ingest mode. */
  proxy?: OptionValue<boolean | null | undefined>;
}

/** The public, camelCase view of the innermost frame returned by `getContext()`. */
export type PayiContext = Omit<Frame, 'proxy'> & { readonly proxy?: boolean };

/** The keys of {@link TrackOptions}, in the attribution table's order (`src/wire/fields.ts`). */
export const TRACK_OPTION_KEYS: readonly (keyof TrackOptions)[] = Object.freeze(ATTRIBUTION_FIELDS.map((f) => f.option));

// Compile-time check: the table's options and TrackOptions' keys are the same set.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameKeys: SameKeys<AttributionOption, keyof TrackOptions> = true;
void _sameKeys;
