import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { MEDIC_VERSION } from '../shared/version.js';
import { authPlugin } from './auth.js';
import type { AppContext } from './context.js';
import { installErrorHandler } from './errors.js';
import { installRequestInput, parseQuery } from './input.js';
import { requestLogger } from './request-logger.js';
import { registerRoutes } from './routes/index.js';
import { uiRoutes } from './routes/ui.js';
import { documentSecurityHeaders, installSecurityHeaders } from './security-headers.js';

export type App = FastifyInstance;

/**
 * The HTTP server: zod schemas validate every request, type the handlers and generate the OpenAPI
 * document at /api/docs. Built separately from listening so tests drive it with `inject`.
 */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // One line per request is too much at thousands of alerts a second; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { querystringParser: parseQuery },
    bodyLimit: ctx.loaded.config.server.body_limit,
    // X-Forwarded-For is believed only from the listed proxies (Fastify walks the header from the right,
    // stopping at the first address that is not one): the client address the failed-auth limit counts.
    trustProxy: ctx.loaded.config.server.trust_proxy.length > 0 ? ctx.loaded.config.server.trust_proxy : false,
    return503OnClosing: true,
    // request.log is made when a request first logs (request-logger.ts).
    childLoggerFactory: requestLogger,
  }).withTypeProvider<ZodTypeProvider>();

  // Security headers on every answer; the dashboard loads only its own scripts and styles.
  installSecurityHeaders(app, await documentSecurityHeaders());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, ctx.loaded.redactor, { isUnavailable: (err) => ctx.store.dialect.isUnavailable(err) });
  installRequestInput(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Medic API', version: MEDIC_VERSION, description: 'Detect, diagnose, resolve and verify incidents; measure MTTR.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(authPlugin, ctx);
  await app.register(async (scoped) => registerRoutes(scoped, ctx));
  await app.register(uiRoutes);
  return app;
}
