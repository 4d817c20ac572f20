import type { FastifyInstance } from 'fastify';
import { type LimitInput, limitView } from '../db/limits';
import { HttpError } from '../http/errors';
import type { CollectorStore } from '../store';

const LIMITS = '/api/v1/limits';

const fields = {
  limit_name: { type: 'string', minLength: 1, maxLength: 256 },
  max: { type: 'number', minimum: 0 },
  limit_type: { type: 'string', enum: ['block', 'allow'] },
  threshold: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 1 },
} as const;

type IdParams = { Params: { id: string } };

const notFound = (id: string): HttpError => new HttpError(404, 'not_found', `no limit with id "${id}"`);

/** Limits: CRUD and reset (contract §9). Answers carry `{ limit: {...} }` like the Pay-i service. */
export function limitRoutes(app: FastifyInstance, store: CollectorStore): void {
  const createBody = {
    type: 'object',
    required: ['limit_name', 'max'],
    properties: { ...fields, limit_id: { type: 'string', minLength: 1, maxLength: 256 } },
  };
  app.post<{ Body: LimitInput }>(LIMITS, { schema: { body: createBody } }, async (req, reply) => {
    const created = store.limits.create(req.body);
    if (!created) throw new HttpError(409, 'already_exists', `a limit with id "${req.body.limit_id}" exists already`);
    return reply.code(201).send({ limit: limitView(created) });
  });

  app.get(LIMITS, async () => {
    const items = store.limits.list().map(limitView);
    return { items, total: items.length };
  });

  app.get<IdParams>(`${LIMITS}/:id`, async (req) => {
    const l = store.limits.get(req.params.id);
    if (!l) throw notFound(req.params.id);
    return { limit: limitView(l) };
  });

  const updateBody = { type: 'object', properties: fields, additionalProperties: false };
  app.put<IdParams & { Body: Partial<LimitInput> }>(`${LIMITS}/:id`, { schema: { body: updateBody } }, async (req) => {
    const l = store.limits.update(req.params.id, req.body ?? {});
    if (!l) throw notFound(req.params.id);
    return { limit: limitView(l) };
  });

  app.delete<IdParams>(`${LIMITS}/:id`, async (req) => {
    if (!store.limits.delete(req.params.id)) throw notFound(req.params.id);
    return { message: `limit "${req.params.id}" deleted` };
  });

  app.post<IdParams>(`${LIMITS}/:id/reset`, async (req) => {
    const l = store.limits.reset(req.params.id);
    if (!l) throw notFound(req.params.id);
    return { limit: limitView(l) };
  });
}
