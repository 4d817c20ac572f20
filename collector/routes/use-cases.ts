import type { FastifyInstance } from 'fastify';
import { USE_CASE_NAME_RULE, useCaseNameProblem } from 'payi-instrument/internal';
import { definitionView } from '../db/use-cases';
import { HttpError } from '../http/errors';
import type { CollectorStore } from '../store';

const DEFS = '/api/v1/use_cases/definitions';
const INSTANCES = '/api/v1/use_cases/instances';

/** Throws a 400 naming the value when `name` breaks the use case name rule. */
function checkName(name: unknown, what = 'use case name'): string {
  const p = useCaseNameProblem(name);
  if (p) throw new HttpError(400, 'invalid_use_case_name', `${what} ${JSON.stringify(name)} ${p}; ${USE_CASE_NAME_RULE}`);
  return name as string;
}

const notFound = (name: string): HttpError => new HttpError(404, 'not_found', `no use case definition named "${name}"`);

type NameParams = { Params: { name: string } };

/**
 * Use case definitions (CRUD, `increment_version`), their KPIs, and use case instances with KPI
 * scores (contract §9).
 */
export function useCaseRoutes(app: FastifyInstance, store: CollectorStore): void {
  const uc = store.useCases;
  const createBody = {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, description: { type: 'string', maxLength: 4096 }, logging_enabled: { type: 'boolean' } },
  };
  app.post<{ Body: { name: string; description?: string; logging_enabled?: boolean } }>(DEFS, { schema: { body: createBody } }, async (req, reply) => {
    const name = checkName(req.body.name, 'name');
    const created = uc.createDefinition({ ...req.body, name });
    if (!created) throw new HttpError(409, 'already_exists', `a use case definition named "${name}" exists already`);
    return reply.code(201).send(definitionView(created));
  });

  app.get(DEFS, async () => {
    const items = uc.listDefinitions().map(definitionView);
    return { items, total: items.length };
  });

  app.get<NameParams>(`${DEFS}/:name`, async (req) => {
    const d = uc.getDefinition(checkName(req.params.name));
    if (!d) throw notFound(req.params.name);
    return definitionView(d);
  });

  const updateBody = {
    type: 'object',
    properties: { description: { type: 'string', maxLength: 4096 }, logging_enabled: { type: 'boolean' } },
    additionalProperties: false,
  };
  app.put<NameParams & { Body: { description?: string; logging_enabled?: boolean } }>(`${DEFS}/:name`, { schema: { body: updateBody } }, async (req) => {
    const d = uc.updateDefinition(checkName(req.params.name), req.body ?? {});
    if (!d) throw notFound(req.params.name);
    return definitionView(d);
  });

  app.delete<NameParams>(`${DEFS}/:name`, async (req) => {
    if (!uc.deleteDefinition(checkName(req.params.name))) throw notFound(req.params.name);
    return { message: `use case definition "${req.params.name}" deleted` };
  });

  app.post<NameParams>(`${DEFS}/:name/increment_version`, async (req) => {
    const d = uc.incrementVersion(checkName(req.params.name));
    if (!d) throw notFound(req.params.name);
    return definitionView(d);
  });

  // KPIs of a definition
  app.get<NameParams>(`${DEFS}/:name/kpis`, async (req) => {
    const name = checkName(req.params.name);
    if (!uc.getDefinition(name)) throw notFound(name);
    const items = uc.listKpis(name);
    return { items, total: items.length };
  });

  const kpiBody = {
    type: 'object',
    required: ['kpi_name'],
    properties: { kpi_name: { type: 'string', minLength: 1, maxLength: 128 }, description: { type: 'string', maxLength: 4096 } },
  };
  app.post<NameParams & { Body: { kpi_name: string; description?: string } }>(`${DEFS}/:name/kpis`, { schema: { body: kpiBody } }, async (req, reply) => {
    const name = checkName(req.params.name);
    if (!uc.getDefinition(name)) throw notFound(name);
    const kpi = uc.defineKpi(name, req.body.kpi_name, req.body.description);
    if (!kpi) throw new HttpError(409, 'already_exists', `use case "${name}" has a KPI named "${req.body.kpi_name}" already`);
    return reply.code(201).send(kpi);
  });

  // Instances
  app.post<NameParams>(`${INSTANCES}/:name`, async (req, reply) => {
    const name = checkName(req.params.name);
    uc.ensureDefinition(name, new Date().toISOString());
    const id = uc.createInstance(name);
    return reply.code(201).send({ use_case_name: name, use_case_id: id });
  });

  type InstanceParams = { Params: { name: string; id: string } };
  app.get<InstanceParams>(`${INSTANCES}/:name/:id`, async (req) => {
    const name = checkName(req.params.name);
    const inst = uc.getInstance(req.params.id);
    if (!inst || inst.use_case_name !== name) throw new HttpError(404, 'not_found', `no instance "${req.params.id}" of use case "${name}"`);
    return { ...inst, kpis: uc.scores(inst.use_case_id) };
  });

  app.get<InstanceParams>(`${INSTANCES}/:name/:id/kpis`, async (req) => {
    checkName(req.params.name);
    const items = uc.scores(req.params.id);
    return { items, total: items.length };
  });

  const scoreBody = { type: 'object', required: ['score'], properties: { score: { type: 'number' } } };
  app.put<{ Params: { name: string; id: string; kpi: string }; Body: { score: number } }>(
    `${INSTANCES}/:name/:id/kpis/:kpi`,
    { schema: { body: scoreBody } },
    async (req) => {
      const name = checkName(req.params.name);
      if (!uc.getDefinition(name)) throw notFound(name);
      if (!uc.hasKpi(name, req.params.kpi)) {
        throw new HttpError(404, 'not_found', `use case "${name}" has no KPI named "${req.params.kpi}"; define it with POST ${DEFS}/${name}/kpis`);
      }
      uc.setScore(name, req.params.id, req.params.kpi, req.body.score);
      return { use_case_name: name, use_case_id: req.params.id, kpi_name: req.params.kpi, score: req.body.score };
    },
  );
}
