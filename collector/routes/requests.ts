import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http/errors';
import { storedResult } from '../ingest/ingest';
import type { CollectorStore } from '../store';

const parse = (s: string | null): unknown => (s === null ? undefined : JSON.parse(s));

/** `GET /api/v1/requests/{request_id}/result`: the stored event's `xproxy_result` and what was recorded. */
export function requestRoutes(app: FastifyInstance, store: CollectorStore): void {
  app.get<{ Params: { id: string } }>('/api/v1/requests/:id/result', async (req) => {
    const row = store.events.byRequestId(req.params.id);
    if (!row) throw new HttpError(404, 'not_found', `no request with id "${req.params.id}"`);
    return {
      request_id: row.request_id,
      xproxy_result: storedResult(row),
      event: {
        source: row.source,
        category: row.category,
        resource: row.resource,
        units: parse(row.units_json),
        usage_source: row.usage_source ?? undefined,
        event_timestamp: row.event_timestamp,
        ingest_timestamp: row.ingest_timestamp,
        http_status_code: row.http_status_code ?? undefined,
        end_to_end_latency_ms: row.end_to_end_latency_ms ?? undefined,
        time_to_first_token_ms: row.time_to_first_token_ms ?? undefined,
        provider_response_id: row.provider_response_id ?? undefined,
        provider_uri: row.provider_uri ?? undefined,
        use_case_name: row.use_case_name ?? undefined,
        use_case_id: row.use_case_id ?? undefined,
        use_case_version: row.use_case_version ?? undefined,
        use_case_step: row.use_case_step ?? undefined,
        user_id: row.user_id ?? undefined,
        account_name: row.account_name ?? undefined,
        resource_scope: row.resource_scope ?? undefined,
        limit_ids: parse(row.limit_ids_json),
        request_tags: parse(row.request_tags_json),
        properties: parse(row.properties_json),
        use_case_properties: parse(row.use_case_properties_json),
        provider_response_function_calls: parse(row.function_calls_json),
        provider_request_json: row.provider_request_json ?? undefined,
        provider_response_json: row.provider_response_json ?? undefined,
      },
    };
  });
}
