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
 * The provider categories Pay-i prices by.
 *
 * @example
 * ```ts
 * payiInstrument({ instruments: [PayiCategories.openai, PayiCategories.anthropic] });
 * ```
 */
export const PayiCategories = Object.freeze({
  openai: 'system.openai',
  azureOpenai: 'system.azureopenai',
  anthropic: 'system.anthropic',
  awsBedrock: 'system.aws.bedrock',
} as const);

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
