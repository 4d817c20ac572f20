import { ATTRIBUTION_FIELDS, type AttributionField, encodeHeader } from '../../src/wire';
import { call, event, startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

/** A value of each kind of attribution field, and the stored column it lands in. */
const SAMPLE: Record<string, { value: unknown; column: string; stored: unknown }> = {
  limit_ids: { value: ['l1', 'l2'], column: 'limit_ids_json', stored: '["l1","l2"]' },
  request_tags: { value: ['t1'], column: 'request_tags_json', stored: '["t1"]' },
  use_case_name: { value: 'table_uc', column: 'use_case_name', stored: 'table_uc' },
  use_case_id: { value: 'uc-id-1', column: 'use_case_id', stored: 'uc-id-1' },
  use_case_version: { value: 4, column: 'use_case_version', stored: 4 },
  use_case_step: { value: 'step-2', column: 'use_case_step', stored: 'step-2' },
  use_case_properties: { value: { tier: 'gold' }, column: 'use_case_properties_json', stored: '{"tier":"gold"}' },
  user_id: { value: 'user-1', column: 'user_id', stored: 'user-1' },
  account_name: { value: 'acct-1', column: 'account_name', stored: 'acct-1' },
  properties: { value: { env: 'prod' }, column: 'properties_json', stored: '{"env":"prod"}' },
  resource_scope: { value: 'datazone', column: 'resource_scope', stored: 'datazone' },
};

const fields = (ATTRIBUTION_FIELDS as readonly AttributionField[]).filter((f) => f.event !== undefined);

describe("the collector reads attribution through the SDK's one table (src/wire/fields.ts)", () => {
  test('every event field of the table has a sample here (a new row needs one)', () => {
    expect(fields.map((f) => f.event).sort()).toEqual(Object.keys(SAMPLE).sort());
  });

  test.each(fields.filter((f) => f.header).map((f) => [f.header!, f] as const))('%s, written as the SDK writes it, is stored', async (_h, f) => {
    const s = SAMPLE[f.event!]!;
    const r = await call(c.url, 'POST', '/api/v1/ingest', event(), { [f.header!]: encodeHeader(f, s.value)! });
    expect(r.status).toBe(200);
    expect(c.db.prepare(`SELECT ${s.column} AS v FROM events`).get()).toEqual({ v: s.stored });
  });

  test.each(fields.filter((f) => f.bulk).map((f) => [f.bulk!, f] as const))('bulk item field %s is stored', async (_b, f) => {
    const s = SAMPLE[f.event!]!;
    const r = await call(c.url, 'POST', '/api/v1/ingest/bulk', [event({ [f.bulk!]: s.value })]);
    expect(r.body).toMatchObject({ ingest_count: 1, error_count: 0 });
    expect(c.db.prepare(`SELECT ${s.column} AS v FROM events`).get()).toEqual({ v: s.stored });
  });
});
