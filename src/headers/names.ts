import { PROVIDER_CATEGORIES, type ProviderCategoryMap } from '../recording/catalogue';
import { ATTRIBUTION_FIELDS, OTHER_HEADERS } from '../wire/fields';

type Row = (typeof ATTRIBUTION_FIELDS)[number];
type WithHeader = Extract<Row, { header: string }>;
/** Header names keyed by option name; the logging switch's header is keyed `loggingDisable`. */
type HeaderNames = { readonly [R in WithHeader as R['option'] extends 'logPromptAndResponse' ? 'loggingDisable' : R['option']]: R['header'] } & typeof OTHER_HEADERS;

/**
 * The `xProxy-*` header names of the Pay-i API, with their exact casing, read from the attribution
 * table (`src/wire/fields.ts`): one per attribution field (keyed by its option name;
 * `loggingDisable` for `logPromptAndResponse`), plus `providerBaseUri`, `apiKey` and
 * `instrumentedModule`.
 *
 * @example
 * ```ts
 * { [PayiHeaderNames.userId]: 'u1' }
 * ```
 */
export const PayiHeaderNames: HeaderNames = Object.freeze({
  ...Object.fromEntries(
    ATTRIBUTION_FIELDS.filter((f): f is WithHeader => 'header' in f && typeof f.header === 'string').map((f) => [f.option === 'logPromptAndResponse' ? 'loggingDisable' : f.option, f.header]),
  ),
  ...OTHER_HEADERS,
}) as HeaderNames;

/** A value of {@link PayiHeaderNames}. */
export type PayiHeaderName = (typeof PayiHeaderNames)[keyof typeof PayiHeaderNames];

/**
 * The provider categories Pay-i prices by, one per key of the provider catalogue
 * (`providers/registry.ts`): `openai`, `azureOpenai`, `anthropic`, `awsBedrock`, `googleVertex`.
 *
 * @example
 * ```ts
 * payiInstrument({ instruments: [PayiCategories.openai, PayiCategories.anthropic] });
 * ```
 */
export const PayiCategories: ProviderCategoryMap = PROVIDER_CATEGORIES;

/** A value of {@link PayiCategories}. */
export type PayiCategory = (typeof PayiCategories)[keyof typeof PayiCategories];

/** Names of the `properties` the SDK itself sets on events. */
export const PayiPropertyNames = Object.freeze({
  failure: 'system.failure',
  failureDescription: 'system.failure.description',
  streamOutcome: 'system.stream_outcome',
  /** `reported`, `estimated` or `missing`: how the event's units are known (every event). */
  usageSource: 'system.usage_source',
} as const);
