import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { role } from '../../config/index.js';
import { createToken, deleteToken, listTokens } from '../../store/index.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';

const tokenInfo = z.object({
  id: z.number(),
  name: z.string(),
  role,
  source: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});

export async function tokenRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/tokens',
    { config: { access: 'admin' }, schema: { summary: 'List API tokens (never their values)', tags: ['auth'], response: { 200: z.object({ tokens: z.array(tokenInfo) }) } } },
    async () => ({ tokens: await listTokens(ctx.store.db) }),
  );

  r.post(
    '/api/tokens',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Create an API token; the token is in this answer and nowhere else, ever',
        tags: ['auth'],
        body: z.strictObject({ name: z.string().trim().min(1).max(100), role }),
        response: { 201: tokenInfo.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => {
      const { token, info } = await createToken(ctx.store.db, { ...request.body, source: 'api' }, ctx.clock.now());
      request.log.info({ tokenId: info.id, name: info.name, role: info.role, by: request.principal?.name }, 'token created');
      return reply.code(201).send({ ...info, token });
    },
  );

  r.delete(
    '/api/tokens/:id',
    {
      config: { access: 'admin' },
      schema: { summary: 'Revoke an API token', tags: ['auth'], params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } },
    },
    async (request, reply) => {
      if (!(await deleteToken(ctx.store.db, request.params.id))) throw notFound(`no token with id ${request.params.id}`);
      app.forgetTokens();
      request.log.info({ tokenId: request.params.id, by: request.principal?.name }, 'token revoked');
      return reply.code(204).send(null);
    },
  );
}
