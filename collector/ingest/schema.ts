/**
 * JSON schemas of the ingest bodies (contract §6 wire shape). Unknown fields are accepted and
 * ignored, so newer SDKs keep working against an older collector.
 */
const str = { type: 'string' } as const;
const strMap = { type: 'object', additionalProperties: { type: ['string', 'null'] } } as const;
const headerPairs = {
  type: 'array',
  items: { type: 'object', required: ['name', 'value'], properties: { name: str, value: str } },
} as const;
const count = { type: 'integer', minimum: 0 } as const;

/** One event. */
export const EVENT_SCHEMA = {
  type: 'object',
  required: ['category', 'units'],
  properties: {
    category: { type: 'string', minLength: 1, maxLength: 256 },
    resource: { type: 'string', maxLength: 512 },
    units: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { input: count, output: count },
        additionalProperties: false,
      },
    },
    event_timestamp: { type: 'string', format: 'date-time' },
    end_to_end_latency_ms: { type: 'number', minimum: 0 },
    time_to_first_token_ms: { type: 'number', minimum: 0 },
    http_status_code: { type: 'integer', minimum: 100, maximum: 999 },
    provider_response_id: { type: 'string', minLength: 1, maxLength: 512 },
    provider_uri: str,
    properties: strMap,
    use_case_properties: strMap,
    provider_request_json: str,
    provider_response_json: { anyOf: [str, { type: 'array', items: str }] },
    provider_response_headers: headerPairs,
    provider_request_headers: headerPairs,
    provider_response_function_calls: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: str, arguments: str } },
    },
    limit_ids: { type: 'array', items: { type: 'string', minLength: 1 } },
    request_tags: { type: 'array', items: { type: 'string', minLength: 1 } },
    use_case_name: str,
    use_case_id: { type: 'string', minLength: 1 },
    use_case_version: { type: 'integer', minimum: 1 },
    use_case_step: str,
    user_id: str,
    account_name: str,
    resource_scope: str,
  },
} as const;

/** The most events one bulk request may carry. */
export const MAX_BULK_EVENTS = 1000;

/** `POST /api/v1/ingest/bulk`: the envelope only; each item is checked against {@link EVENT_SCHEMA} on its own. */
export const BULK_SCHEMA = {
  type: 'object',
  required: ['events'],
  properties: { events: { type: 'array', maxItems: MAX_BULK_EVENTS } },
} as const;
