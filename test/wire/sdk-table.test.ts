/**
 * The attribution table (src/wire/fields.ts) held against Pay-i's OpenAPI document: every wire name
 * it gives exists in the request schema it names, every header it marks as declared for
 * `POST /api/v1/ingest` is declared there (and no declared attribution header is missing from the
 * table), and every header encoding reads back what it wrote.
 */
import { ATTRIBUTION_FIELDS, MEASUREMENT_FIELDS, decodeHeader, encodeHeader, fieldOf, type AttributionField } from '../../src/wire';
import { spec } from './openapi';

const schemas = spec.components.schemas as Record<string, { properties: Record<string, unknown> }>;
const bulkFields = Object.keys(schemas['PayI.Common.Models.ApiRouter.BulkIngestRequest']!.properties).sort();
const ingestFields = Object.keys(schemas['PayI.Common.Models.ApiRouter.IngestRequest']!.properties).sort();
const ingestHeaders = ((spec.paths['/api/v1/ingest']!.post as { parameters: { name: string; in: string }[] }).parameters).filter((p) => p.in === 'header').map((p) => p.name).sort();
const rows = ATTRIBUTION_FIELDS as readonly AttributionField[];

test('measurement fields plus the bulk names of the table are exactly the fields of BulkIngestRequest', () => {
  expect([...MEASUREMENT_FIELDS, ...rows.flatMap((f) => (f.bulk ? [f.bulk] : []))].sort()).toEqual(bulkFields);
});

test('measurement fields plus the ingest-body names of the table are exactly the fields of IngestRequest', () => {
  expect([...MEASUREMENT_FIELDS, ...rows.flatMap((f) => (f.ingest ? [f.ingest] : []))].sort()).toEqual(ingestFields);
});

test('the headers marked as declared for POST /api/v1/ingest are exactly the ones the operation declares', () => {
  expect(rows.filter((f) => f.ingestHeader).map((f) => f.header).sort()).toEqual(ingestHeaders);
});

test('the resource scope is `scope` in a bulk item, `resource_scope` on the event, xProxy-Resource-Scope as a header', () => {
  expect(fieldOf('resourceScope')).toMatchObject({ bulk: 'scope', event: 'resource_scope', header: 'xProxy-Resource-Scope' });
});

test.each<[string, unknown, string | undefined]>([
  ['limitIds', ['a', 'b'], 'a,b'],
  ['useCaseVersion', 0, '0'],
  ['useCaseProperties', { tier: 'gold', 'ü': null }, undefined],
  ['userId', 'u1', 'u1'],
  ['logPromptAndResponse', false, 'True'],
])('%s: encodeHeader writes %j and decodeHeader reads it back', (option, value, written) => {
  const f = fieldOf(option)!;
  const header = encodeHeader(f, value);
  if (written !== undefined) expect(header).toBe(written);
  expect(decodeHeader(f, header)).toEqual(value);
});

test('empty values are never sent as headers, and unreadable ones read as absent', () => {
  expect(encodeHeader(fieldOf('limitIds')!, [])).toBeUndefined();
  expect(encodeHeader(fieldOf('userId')!, '')).toBeUndefined();
  expect(encodeHeader(fieldOf('logPromptAndResponse')!, true)).toBeUndefined();
  expect(decodeHeader(fieldOf('useCaseVersion')!, '3abc')).toBeUndefined();
  expect(decodeHeader(fieldOf('requestProperties')!, '%%%')).toBeUndefined();
  expect(decodeHeader(fieldOf('requestProperties')!, '{"raw":"json"}')).toEqual({ raw: 'json' });
});
