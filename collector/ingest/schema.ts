/**
 * JSON schemas of the ingest bodies, as Pay-i's OpenAPI document defines them:
 * `IngestRequest` (`POST /api/v1/ingest`, no attribution fields: they travel as `xProxy-*`
 * headers) and `BulkIngestRequest` (each item of `POST /api/v1/ingest/bulk` and `bulk-upsert`,
 * attribution in the body, the resource scope as `scope`). Every field but `category` and `units`
 * may be `null` (the same as absent). Fields the document does not declare are ignored, as the
 * service drops them, so newer clients keep working against an older collector.
 */
import { ATTRIBUTION_FIELDS, type AttributionField, type ValueKind } from 'payi-instrument/internal';

const INT32_MAX = 2_147_483_647;
const str = { type: ['string', 'null'] } as const;
const int32 = (minimum: number): Record<string, unknown> => ({ type: ['integer', 'null'], minimum, maximum: INT32_MAX });
const strMap = { type: ['object', 'null'], additionalProperties: { type: ['string', 'null'] } } as const;
const headerPairs = {
  type: ['array', 'null'],
  items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, value: str } },
} as const;
/** `IngestUnits`: whole numbers 0..2,147,483,647 (int32). */
const count = { type: 'integer', minimum: 0, maximum: INT32_MAX } as const;

/** `IngestUnits` per unit name. */
export const UNITS_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'object', properties: { input: count, output: count }, additionalProperties: false },
} as const;

const ingestRequestFields = {
  category: { type: 'string', minLength: 1, maxLength: 256 },
  resource: { type: ['string', 'null'], maxLength: 512 },
  event_timestamp: { type: ['string', 'null'], format: 'date-time' },
  units: UNITS_SCHEMA,
  end_to_end_latency_ms: int32(0),
  time_to_first_token_ms: int32(0),
  time_to_first_completion_token_ms: int32(0),
  http_status_code: int32(0),
  provider_uri: str,
  provider_request_reasoning_json: str,
  provider_request_json: str,
  provider_request_headers: headerPairs,
  provider_response_json: { type: ['string', 'array', 'null'], items: { type: 'string' } },
  provider_response_headers: headerPairs,
  provider_response_function_calls: {
    type: ['array', 'null'],
    items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, arguments: str } },
  },
  provider_response_id: { type: ['string', 'null'], minLength: 1, maxLength: 512 },
  properties: strMap,
  use_case_properties: strMap,
} as const;

/** `IngestRequest`: one event of `POST /api/v1/ingest`. */
export const INGEST_SCHEMA = {
  type: 'object',
  required: ['category', 'units'],
  properties: ingestRequestFields,
} as const;

/** The JSON schema of an attribution field's value, by the kind the SDK's attribution table gives it. */
const BY_KIND: Record<ValueKind, Record<string, unknown>> = {
  list: { type: ['array', 'null'], items: { type: 'string' } },
  text: str,
  useCaseName: str,
  version: int32(1),
  properties: strMap,
  boolean: { type: ['boolean', 'null'] },
};

const attributionFields = Object.fromEntries(
  (ATTRIBUTION_FIELDS as readonly AttributionField[]).filter((f) => f.bulk !== undefined && !Object.hasOwn(ingestRequestFields, f.bulk)).map((f) => [f.bulk, BY_KIND[f.kind]]),
);

/**
 * `BulkIngestRequest`: one item of `POST /api/v1/ingest/bulk` and `/bulk-upsert`: the
 * `IngestRequest` fields plus every attribution field the SDK's table (`src/wire/fields.ts`) gives a
 * bulk name (`limit_ids`, `request_tags`, `use_case_*`, `user_id`, `account_name`, `scope`).
 */
export const BULK_ITEM_SCHEMA: { type: 'object'; required: string[]; properties: Record<string, unknown> } = {
  type: 'object',
  required: ['category', 'units'],
  properties: { ...ingestRequestFields, ...attributionFields },
};

/** A bulk item's field name → the stored event's, where they differ (`scope` → `resource_scope`). */
export const EVENT_NAME_OF_BULK: Readonly<Record<string, string>> = Object.fromEntries(
  (ATTRIBUTION_FIELDS as readonly AttributionField[]).filter((f) => f.bulk !== undefined && f.event !== undefined && f.bulk !== f.event).map((f) => [f.bulk, f.event]),
);

/** The most events one bulk request may carry. */
export const MAX_BULK_EVENTS = 1000;

