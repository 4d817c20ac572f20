/**
 * THE table of attribution fields: one row per field, with its camelCase option name, its name in
 * each wire shape (the SDK's event, a `BulkIngestRequest` item, an `IngestRequest` body), its
 * `xProxy-*` header and encoding, whether `POST /api/v1/ingest` declares that header, how scopes
 * merge it and how it is validated. Merge, validation, headers, `createHeaders`, event build, the
 * client's request bodies and the collector's header parsing all iterate this table: adding a
 * field is one row here.
 *
 * Free of Node-only and SDK-runtime imports (the collector reads it too).
 */

/**
 * How a field's value is written (and read) in its `xProxy-*` header:
 * - `text`: the string as is;
 * - `list`: entries comma-joined (`a,b`); read back trimmed, empties dropped, de-duplicated;
 * - `integer`: decimal digits (`"3"`); anything else reads as absent;
 * - `properties`: base64 of compact UTF-8 JSON (raw JSON also read);
 * - `flag`: `xProxy-Logging-Disable: True` when the value is `false`.
 */
export type HeaderEncoding = 'text' | 'list' | 'integer' | 'properties' | 'flag';

/**
 * How a child scope's value combines with its parent's (contract §3):
 * - `union`: parent's entries first, then the child's new ones;
 * - `innermost`: the child's value when given, else the parent's;
 * - `properties`: per key, the child wins;
 * - `useCaseName` / `useCase`: the use-case group rules (a new name starts a new instance; the
 *   group's other fields belong to the use case in scope);
 * - `switch`: a boolean, the child's when given, else the parent's.
 */
export type MergeRule = 'union' | 'innermost' | 'properties' | 'useCaseName' | 'useCase' | 'switch';

/** The kind of value a field holds, which decides its validator. */
export type ValueKind = 'text' | 'list' | 'version' | 'properties' | 'useCaseName' | 'boolean';

/** One attribution field. */
export interface AttributionField {
  /** The camelCase option name (`TrackOptions`, `createHeaders`, `Attribution`, `Frame`). */
  readonly option: string;
  /** The snake_case field on the SDK's event (`PayiEvent`, spill file lines), if the event carries it. */
  readonly event?: string;
  /** The field of a `BulkIngestRequest` item (`POST /api/v1/ingest/bulk`), if the spec declares one. */
  readonly bulk?: string;
  /** The field of an `IngestRequest` body (`POST /api/v1/ingest`), if the spec declares one. */
  readonly ingest?: string;
  /** The `xProxy-*` header (exact casing), if there is one. */
  readonly header?: string;
  /** Whether the spec declares {@link header} as a parameter of `POST /api/v1/ingest`. */
  readonly ingestHeader: boolean;
  /** How the header value is written. */
  readonly encoding: HeaderEncoding;
  /** How scopes merge it. */
  readonly merge: MergeRule;
  /** The kind of value (its validator). */
  readonly kind: ValueKind;
}

const row = <const T extends AttributionField>(r: T): T => Object.freeze(r);

/** Every attribution field, in the order of `TrackOptions` (error messages list them so). */
export const ATTRIBUTION_FIELDS = Object.freeze([
  row({ option: 'useCaseName', event: 'use_case_name', bulk: 'use_case_name', header: 'xProxy-UseCase-Name', ingestHeader: true, encoding: 'text', merge: 'useCaseName', kind: 'useCaseName' }),
  row({ option: 'useCaseId', event: 'use_case_id', bulk: 'use_case_id', header: 'xProxy-UseCase-ID', ingestHeader: true, encoding: 'text', merge: 'useCase', kind: 'text' }),
  row({ option: 'useCaseVersion', event: 'use_case_version', bulk: 'use_case_version', header: 'xProxy-UseCase-Version', ingestHeader: true, encoding: 'integer', merge: 'useCase', kind: 'version' }),
  row({ option: 'useCaseStep', event: 'use_case_step', bulk: 'use_case_step', header: 'xProxy-UseCase-Step', ingestHeader: true, encoding: 'text', merge: 'useCase', kind: 'text' }),
  row({ option: 'useCaseProperties', event: 'use_case_properties', bulk: 'use_case_properties', ingest: 'use_case_properties', header: 'xProxy-UseCase-Properties', ingestHeader: false, encoding: 'properties', merge: 'useCase', kind: 'properties' }),
  row({ option: 'limitIds', event: 'limit_ids', bulk: 'limit_ids', header: 'xProxy-Limit-IDs', ingestHeader: true, encoding: 'list', merge: 'union', kind: 'list' }),
  row({ option: 'requestTags', event: 'request_tags', bulk: 'request_tags', header: 'xProxy-Request-Tags', ingestHeader: false, encoding: 'list', merge: 'union', kind: 'list' }),
  row({ option: 'userId', event: 'user_id', bulk: 'user_id', header: 'xProxy-User-ID', ingestHeader: true, encoding: 'text', merge: 'innermost', kind: 'text' }),
  row({ option: 'accountName', event: 'account_name', bulk: 'account_name', header: 'xProxy-Account-Name', ingestHeader: true, encoding: 'text', merge: 'innermost', kind: 'text' }),
  row({ option: 'requestProperties', event: 'properties', bulk: 'properties', ingest: 'properties', header: 'xProxy-Request-Properties', ingestHeader: false, encoding: 'properties', merge: 'properties', kind: 'properties' }),
  row({ option: 'priceAsCategory', header: 'xProxy-PriceAs-Category', ingestHeader: false, encoding: 'text', merge: 'innermost', kind: 'text' }),
  row({ option: 'priceAsResource', header: 'xProxy-PriceAs-Resource', ingestHeader: false, encoding: 'text', merge: 'innermost', kind: 'text' }),
  row({ option: 'resourceScope', event: 'resource_scope', bulk: 'scope', header: 'xProxy-Resource-Scope', ingestHeader: true, encoding: 'text', merge: 'innermost', kind: 'text' }),
  row({ option: 'logPromptAndResponse', header: 'xProxy-Logging-Disable', ingestHeader: true, encoding: 'flag', merge: 'switch', kind: 'boolean' }),
  row({ option: 'proxy', ingestHeader: false, encoding: 'flag', merge: 'switch', kind: 'boolean' }),
] as const satisfies readonly AttributionField[]);

/** The camelCase option name of an attribution field. */
export type AttributionOption = (typeof ATTRIBUTION_FIELDS)[number]['option'];

/** The row of an option name, or `undefined`. */
export function fieldOf(option: string): AttributionField | undefined {
  return FIELD_BY_OPTION.get(option);
}

/** The table by option name (read on every scope entry: a lookup, not a scan). */
const FIELD_BY_OPTION: ReadonlyMap<string, AttributionField> = new Map((ATTRIBUTION_FIELDS as readonly AttributionField[]).map((f) => [f.option, f]));

/**
 * The measurement fields that carry most of a logged event's bytes: the prompt and response JSON
 * and the headers. An event measured for a bulk request keeps them only inside its item's bytes
 * while it waits for its batch (`packBulkItem` in `./ingest`), so the JavaScript heap does not
 * hold them twice nor copy them through the garbage collector's young generation.
 */
export const LARGE_FIELDS = Object.freeze([
  'provider_request_reasoning_json',
  'provider_request_json',
  'provider_request_headers',
  'provider_response_json',
  'provider_response_headers',
  'provider_response_function_calls',
] as const);

/**
 * The fields of an event that are not attribution and that both `BulkIngestRequest` and
 * `IngestRequest` declare under the same name (the spec's names; the event uses them as they are).
 */
export const MEASUREMENT_FIELDS = Object.freeze([
  'category',
  'resource',
  'units',
  'event_timestamp',
  'end_to_end_latency_ms',
  'time_to_first_token_ms',
  'time_to_first_completion_token_ms',
  'http_status_code',
  'provider_uri',
  ...LARGE_FIELDS,
  'provider_response_id',
] as const);

/** Other `xProxy-*` headers the SDK knows that are not attribution fields. */
export const OTHER_HEADERS = Object.freeze({
  providerBaseUri: 'xProxy-Provider-BaseUri',
  apiKey: 'xProxy-api-key',
  /** Sent on single ingest as Pay-i's Python SDK sends it (`<module>/<version>`); the OpenAPI document does not declare it (docs/wire.md). */
  instrumentedModule: 'xProxy-Instrumented-Module',
} as const);
