import { call, event, startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

const DEFS = '/api/v1/use_cases/definitions';

describe('use case definitions', () => {
  test('create, list, get, update, increment_version and delete', async () => {
    const created = await call(c.url, 'POST', DEFS, { name: 'summarize', description: 'Summaries', logging_enabled: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'summarize', description: 'Summaries', logging_enabled: true, version: 1 });
    expect((await call(c.url, 'GET', DEFS)).body.items.map((d: { name: string }) => d.name)).toEqual(['summarize']);
    const updated = await call(c.url, 'PUT', `${DEFS}/summarize`, { logging_enabled: false });
    expect(updated.body).toMatchObject({ description: 'Summaries', logging_enabled: false });
    expect((await call(c.url, 'POST', `${DEFS}/summarize/increment_version`)).body.version).toBe(2);
    expect((await call(c.url, 'POST', `${DEFS}/summarize/increment_version`)).body.version).toBe(3);
    expect((await call(c.url, 'DELETE', `${DEFS}/summarize`)).status).toBe(200);
    expect((await call(c.url, 'GET', `${DEFS}/summarize`)).status).toBe(404);
  });

  test('names are validated as in the SDK (1-64 of A-Z a-z 0-9 . - _)', async () => {
    const space = await call(c.url, 'POST', DEFS, { name: 'my case' });
    expect(space.status).toBe(400);
    expect(space.body.xproxy_error.message).toBe('name "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _');
    expect((await call(c.url, 'POST', DEFS, { name: 'x'.repeat(65) })).body.xproxy_error.message).toBe(`name "${'x'.repeat(65)}" is 65 characters long; use 1-64 of A-Z a-z 0-9 . - _`);
    expect((await call(c.url, 'GET', `${DEFS}/bad%20name`)).status).toBe(400);
    expect((await call(c.url, 'POST', DEFS, { name: 'ok.name-1_A' })).status).toBe(201);
  });

  test('errors: a taken name 409, unknown names 404, unknown fields 400', async () => {
    await call(c.url, 'POST', DEFS, { name: 'a' });
    expect((await call(c.url, 'POST', DEFS, { name: 'a' })).status).toBe(409);
    expect((await call(c.url, 'PUT', `${DEFS}/none`, { description: 'x' })).status).toBe(404);
    expect((await call(c.url, 'POST', `${DEFS}/none/increment_version`)).status).toBe(404);
    expect((await call(c.url, 'DELETE', `${DEFS}/none`)).status).toBe(404);
    const unknown = await call(c.url, 'PUT', `${DEFS}/a`, { loggingEnabled: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.xproxy_error.message).toBe('loggingEnabled is not a known field');
  });
});

describe('use case instances and KPIs', () => {
  test('an instance gets a new use_case_id each time', async () => {
    const a = await call(c.url, 'POST', '/api/v1/use_cases/instances/chat');
    const b = await call(c.url, 'POST', '/api/v1/use_cases/instances/chat');
    expect(a.status).toBe(201);
    expect(a.body.use_case_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.body.use_case_id).not.toBe(a.body.use_case_id);
    expect((await call(c.url, 'GET', `/api/v1/use_cases/instances/chat/${a.body.use_case_id}`)).body).toMatchObject({ use_case_name: 'chat', use_case_id: a.body.use_case_id });
    expect((await call(c.url, 'POST', '/api/v1/use_cases/instances/bad%20name')).status).toBe(400);
  });

  test('define and list KPIs, then score an instance', async () => {
    await call(c.url, 'POST', DEFS, { name: 'chat' });
    const kpi = await call(c.url, 'POST', `${DEFS}/chat/kpis`, { kpi_name: 'accepted', description: 'user kept the answer' });
    expect(kpi.status).toBe(201);
    expect((await call(c.url, 'POST', `${DEFS}/chat/kpis`, { kpi_name: 'accepted' })).status).toBe(409);
    expect((await call(c.url, 'GET', `${DEFS}/chat/kpis`)).body.items).toEqual([expect.objectContaining({ kpi_name: 'accepted', description: 'user kept the answer' })]);
    const id = (await call(c.url, 'POST', '/api/v1/use_cases/instances/chat')).body.use_case_id;
    const put = await call(c.url, 'PUT', `/api/v1/use_cases/instances/chat/${id}/kpis/accepted`, { score: 1 });
    expect(put.body).toEqual({ use_case_name: 'chat', use_case_id: id, kpi_name: 'accepted', score: 1 });
    await call(c.url, 'PUT', `/api/v1/use_cases/instances/chat/${id}/kpis/accepted`, { score: 4 });
    expect((await call(c.url, 'GET', `/api/v1/use_cases/instances/chat/${id}/kpis`)).body.items).toEqual([expect.objectContaining({ kpi_name: 'accepted', score: 4 })]);
  });

  test('KPI errors: undefined KPI 404, missing score 400, unknown use case 404', async () => {
    await call(c.url, 'POST', DEFS, { name: 'chat' });
    const noKpi = await call(c.url, 'PUT', '/api/v1/use_cases/instances/chat/id-1/kpis/nps', { score: 3 });
    expect(noKpi.status).toBe(404);
    expect(noKpi.body.xproxy_error.message).toContain('has no KPI named "nps"');
    expect((await call(c.url, 'PUT', '/api/v1/use_cases/instances/chat/id-1/kpis/nps', { points: 3 })).body.xproxy_error.message).toBe('score is missing');
    expect((await call(c.url, 'GET', `${DEFS}/ghost/kpis`)).status).toBe(404);
    expect((await call(c.url, 'POST', `${DEFS}/ghost/kpis`, { kpi_name: 'k' })).status).toBe(404);
  });

  test('a KPI can score an instance id that the SDK made up and sent with events', async () => {
    await call(c.url, 'POST', DEFS, { name: 'chat' });
    await call(c.url, 'POST', `${DEFS}/chat/kpis`, { kpi_name: 'accepted' });
    await call(c.url, 'POST', '/api/v1/ingest', event({ use_case_name: 'chat', use_case_id: 'sdk-made-id' }));
    expect((await call(c.url, 'PUT', '/api/v1/use_cases/instances/chat/sdk-made-id/kpis/accepted', { score: 2 })).status).toBe(200);
    expect((await call(c.url, 'GET', '/api/v1/use_cases/instances/chat/sdk-made-id')).body.kpis).toEqual([expect.objectContaining({ kpi_name: 'accepted', score: 2 })]);
  });
});
