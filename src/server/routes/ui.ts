import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The dashboard: the built single-page app from dist/web, with index.html for any other page path. */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

export async function uiRoutes(app: FastifyInstance): Promise<void> {
  if (!existsSync(path.join(WEB_ROOT, 'index.html'))) {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain').send('The dashboard is not built: run `npm run build` (npm install does it).'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_ROOT,
    prefix: '/',
    wildcard: false,
    cacheControl: false,
    index: ['index.html'],
    // Asset names carry a content hash and can be cached for long; the page itself must not be.
    setHeaders(res, file) {
      res.setHeader('cache-control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
}
