import { PROVIDER_CATEGORIES, type ProviderCategoryMap } from '../recording/catalogue';

/**
 * The `xProxy-*` header names of the Pay-i API, with their exact casing.
 *
 * @example
 * ```ts
 * { [PayiHeaderNames.userId]: 'u1' }
 * ```
 */
export const PayiHeaderNames = Object.freeze({
  limitIds: 'xProxy-Limit-IDs',
  requestTags: 'xProxy-Request-Tags',
  requestProperties: 'xProxy-Request-Properties',
  useCaseId: 'xProxy-UseCase-ID',
  useCaseName: 'xProxy-UseCase-Name',
  useCaseVersion: 'xProxy-UseCase-Version',
  useCaseStep: 'xProxy-UseCase-Step',
  useCaseProperties: 'xProxy-UseCase-Properties',
  userId: 'xProxy-User-ID',
  accountName: 'xProxy-Account-Name',
  priceAsCategory: 'xProxy-PriceAs-Category',
  priceAsResource: 'xProxy-PriceAs-Resource',
  resourceScope: 'xProxy-Resource-Scope',
  providerBaseUri: 'xProxy-Provider-BaseUri',
  apiKey: 'xProxy-api-key',
  loggingDisable: 'xProxy-Logging-Disable',
  instrumentedModule: 'xProxy-Instrumented-Module',
} as const);

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
} as const);
