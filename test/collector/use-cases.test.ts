import { call, event, ingest, startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

const DEFS = '/api/v1/use_cases/definitions';
const INSTANCES = '/api/v1/use_cases/instances';
const RULE = 'use 1-64 of A-Z a-z 0-9 . - _';
const KPI = { name: 'accepted', description: 'user kept the answer', kpi_type: 'boolean', goal: 0.8 };

describe('use case definitions', () => {
  test('create, list, get, update, increment_version and delete, answering UseCaseDefinitionResponse with type_version', async () => {
    const created = await call(c.url, 'POST', DEFS, { name: 'summarize', description: 'Summaries', logging_enabled: true });
    const def = { request_id: expect.any(String), name: 'summarize', description: 'Summaries', logging_enabled: true, type_version: 1 };
    expect({ status: created.status, body: created.body }).toEqual({ status: 200, body: def });
    const list = (await call(c.url, 'GET', DEFS)).body;
    expect(list).toEqual({ request_id: expect.any(String), items: [{ ...def, request_id: list.request_id }] }); // the item schema requires request_id
    expect((await call(c.url, 'PUT', `${DEFS}/summarize`, { logging_enabled: false })).body).toEqual({ ...def, logging_enabled: false });
    expect((await call(c.url, 'POST', `${DEFS}/summarize/increment_version`)).body.type_version).toBe(2);
    expect((await call(c.url, 'POST', `${DEFS}/summarize/increment_version`)).body.type_version).toBe(3);
    expect((await call(c.url, 'DELETE', `${DEFS}/summarize`)).body).toEqual({ ...def, logging_enabled: false, type_version: 3 });
    expect((await call(c.url, 'GET', `${DEFS}/summarize`)).status).toBe(404);
  });

  test('limit_config is stored with the definition, set and removed through .../limit_config', async () => {
    const cfg = { max: 5, limit_type: 'block', threshold: 0.5 };
    expect((await call(c.url, 'POST', DEFS, { name: 'capped', description: 'd', limit_config: cfg })).body.limit_config).toEqual(cfg);
    expect((await call(c.url, 'POST', `${DEFS}/capped/limit_config`, { max: 9 })).body.limit_config).toEqual({ max: 9 });
    expect((await call(c.url, 'DELETE', `${DEFS}/capped/limit_config`)).body.limit_config).toBeUndefined();
  });

  test('description is required (the spec says so); names are validated as in the SDK (1-64 of A-Z a-z 0-9 . - _)', async () => {
    expect((await call(c.url, 'POST', DEFS, { name: 'nodesc' })).body.message).toBe('description is missing');
    const space = await call(c.url, 'POST', DEFS, { name: 'my case', description: 'd' });
    expect(space.status).toBe(400);
    expect(space.body.message).toBe(`name "my case" has a space; ${RULE}`);
    expect((await call(c.url, 'POST', DEFS, { name: 'x'.repeat(65), description: 'd' })).body.xproxy_error.message).toBe(`name "${'x'.repeat(65)}" is 65 characters long; ${RULE}`);
    expect((await call(c.url, 'GET', `${DEFS}/bad%20name`)).status).toBe(400);
    expect((await call(c.url, 'POST', DEFS, { name: 'ok.name-1_A', description: 'd' })).status).toBe(200);
  });

  test('errors: a taken name 400, unknown names 404', async () => {
    await call(c.url, 'POST', DEFS, { name: 'a', description: 'd' });
    expect((await call(c.url, 'POST', DEFS, { name: 'a', description: 'd' })).body).toMatchObject({ statusCode: 400, xproxy_error: { code: 'already_exists' } });
    expect((await call(c.url, 'PUT', `${DEFS}/none`, { description: 'x' })).status).toBe(404);
    expect((await call(c.url, 'POST', `${DEFS}/none/increment_version`)).status).toBe(404);
    expect((await call(c.url, 'DELETE', `${DEFS}/none`)).body).toEqual({ message: 'no use case definition named "none"', statusCode: 404, xproxy_error: { code: 'not_found', message: 'no use case definition named "none"' } });
  });
});

describe('use case instances and KPIs', () => {
  test('an instance gets a new use_case_id each time (UseCaseInstanceResponse); it can be read and deleted', async () => {
    const a = await call(c.url, 'POST', `${INSTANCES}/chat`);
    const b = await call(c.url, 'POST', `${INSTANCES}/chat`);
    expect({ status: a.status, body: a.body }).toEqual({ status: 200, body: { use_case_id: expect.stringMatching(/^[0-9a-f-]{36}$/), type_version: 1, use_case_name: 'chat' } });
    expect(b.body.use_case_id).not.toBe(a.body.use_case_id);
    expect((await call(c.url, 'GET', `${INSTANCES}/chat/${a.body.use_case_id}`)).body).toEqual(a.body);
    expect((await call(c.url, 'DELETE', `${INSTANCES}/chat/${a.body.use_case_id}`)).body).toEqual(a.body);
    expect((await call(c.url, 'GET', `${INSTANCES}/chat/${a.body.use_case_id}`)).status).toBe(404);
    expect((await call(c.url, 'POST', `${INSTANCES}/bad%20name`)).status).toBe(400);
  });

  test('define (name, description, kpi_type, goal), read, update, list and delete KPIs, then score an instance', async () => {
    await call(c.url, 'POST', DEFS, { name: 'chat', description: 'd' });
    const kpi = await call(c.url, 'POST', `${DEFS}/chat/kpis`, KPI);
    const view = { request_id: expect.any(String), ...KPI, created_timestamp: expect.any(String) };
    expect({ status: kpi.status, body: kpi.body }).toEqual({ status: 200, body: view });
    expect((await call(c.url, 'POST', `${DEFS}/chat/kpis`, KPI)).body.xproxy_error.code).toBe('already_exists');
    expect((await call(c.url, 'GET', `${DEFS}/chat/kpis/accepted`)).body).toEqual(view);
    expect((await call(c.url, 'PUT', `${DEFS}/chat/kpis/accepted`, { goal: 0.9 })).body).toEqual({ ...view, goal: 0.9, updated_timestamp: expect.any(String) });
    const kpis = (await call(c.url, 'GET', `${DEFS}/chat/kpis`)).body;
    expect(kpis).toEqual({ request_id: expect.any(String), items: [{ ...view, request_id: kpis.request_id, goal: 0.9, updated_timestamp: expect.any(String) }] });
    const id = (await call(c.url, 'POST', `${INSTANCES}/chat`)).body.use_case_id;
    const put = await call(c.url, 'PUT', `${INSTANCES}/chat/${id}/kpis/accepted`, { score: true });
    expect({ status: put.status, body: put.body }).toEqual({ status: 200, body: '' });
    await call(c.url, 'PUT', `${INSTANCES}/chat/${id}/kpis/accepted`, { score: 4 });
    const scores = (await call(c.url, 'GET', `${INSTANCES}/chat/${id}/kpis`)).body;
    expect(scores).toEqual({
      request_id: expect.any(String),
      items: [{ kpi_name: 'accepted', kpi_type: 'boolean', score: 4, create_timestamp: expect.any(String), update_timestamp: expect.any(String) }],
    });
    expect((await call(c.url, 'DELETE', `${DEFS}/chat/kpis/accepted`)).body.name).toBe('accepted');
    expect((await call(c.url, 'GET', `${INSTANCES}/chat/${id}/kpis`)).body.items).toEqual([]);
  });

  test('KPI errors: undefined KPI 404 as ProblemDetails, a KPI body missing a field 400, unknown use case 404', async () => {
    await call(c.url, 'POST', DEFS, { name: 'chat', description: 'd' });
    const noKpi = await call(c.url, 'PUT', `${INSTANCES}/chat/id-1/kpis/nps`, { score: 3 });
    expect(noKpi.status).toBe(404);
    expect(noKpi.body).toMatchObject({ title: 'Not Found', status: 404, detail: expect.stringContaining('has no KPI named "nps"') });
    expect((await call(c.url, 'PUT', `${INSTANCES}/chat/id-1/kpis/nps`, { score: 'high' })).body).toMatchObject({ status: 400, detail: 'score must be boolean,number,null' });
    expect((await call(c.url, 'POST', `${DEFS}/chat/kpis`, { name: 'k', description: 'd', goal: 1 })).body.message).toBe('kpi_type is missing');
    expect((await call(c.url, 'GET', `${DEFS}/ghost/kpis`)).status).toBe(404);
    expect((await call(c.url, 'POST', `${DEFS}/ghost/kpis`, KPI)).status).toBe(404);
    expect((await call(c.url, 'GET', `${DEFS}/chat/kpis/none`)).status).toBe(404);
  });

  test('a KPI can score an instance id that the SDK made up and sent with events', async () => {
    await call(c.url, 'POST', DEFS, { name: 'chat', description: 'd' });
    await call(c.url, 'POST', `${DEFS}/chat/kpis`, KPI);
    await ingest(c.url, event({ use_case_name: 'chat', use_case_id: 'sdk-made-id' }));
    expect((await call(c.url, 'PUT', `${INSTANCES}/chat/sdk-made-id/kpis/accepted`, { score: 2 })).status).toBe(200);
    expect((await call(c.url, 'GET', `${INSTANCES}/chat/sdk-made-id`)).body).toEqual({ use_case_id: 'sdk-made-id', type_version: 1, use_case_name: 'chat' });
    expect((await call(c.url, 'GET', `${INSTANCES}/chat/sdk-made-id/kpis`)).body.items).toEqual([expect.objectContaining({ kpi_name: 'accepted', score: 2 })]);
  });
});
