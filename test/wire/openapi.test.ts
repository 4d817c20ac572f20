import { matchPath, requestProblems, responseProblems, schemaProblems } from './openapi';

describe('the OpenAPI validator used by the wire suite', () => {
  it('matches concrete paths to their templates', () => {
    expect(matchPath('GET', '/api/v1/limits/abc')).toEqual({ template: '/api/v1/limits/{limit_id}', params: { limit_id: 'abc' } });
    expect(matchPath('POST', '/api/v1/ingest/bulk')?.template).toBe('/api/v1/ingest/bulk');
    expect(matchPath('POST', '/api/v1/nope')).toBeUndefined();
  });
  it('accepts a bare-array bulk body and refuses the wrapped one and unknown fields', () => {
    const item = { category: 'system.openai', resource: 'gpt-4o', units: { text: { input: 1, output: 2 } } };
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest/bulk', body: [item] })).toEqual([]);
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest/bulk', body: { events: [item] } })).not.toEqual([]);
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest/bulk', body: [{ ...item, resource_scope: 'x' }] }).join()).toMatch(/resource_scope/);
  });
  it('flags undeclared xProxy headers and query parameters', () => {
    const body = { category: 'system.openai', units: {} };
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest', headers: { 'xProxy-User-ID': 'u' }, body })).toEqual([]);
    expect(requestProblems({ method: 'POST', path: '/api/v1/ingest?nope=1', headers: { 'xProxy-Bogus': 'u' }, body }).length).toBe(2);
  });
  it('checks answers by status', () => {
    expect(responseProblems('POST', '/api/v1/ingest/bulk', 201, {})[0]).toMatch(/not declared/);
    expect(schemaProblems('PayI.Common.Models.ApiError', { bogus: 1 }).length).toBeGreaterThan(0);
  });
});
