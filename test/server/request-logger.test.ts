import { Writable } from 'node:stream';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLogger } from '../../src/server/request-logger.js';

// request.log as app.ts sets it up: made when a request first logs, with the request id the pino child
// would have had, and no child logger at all for a request that does not log.
describe('request loggers', () => {
  const lines: Record<string, unknown>[] = [];
  let children = 0;
  let app: FastifyInstance;

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, destination);
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    app = Fastify({ loggerInstance: logger as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), childLoggerFactory: requestLogger });
    app.get('/quiet', async () => ({ ok: true }));
    app.get('/talk', async (request) => {
      request.log.info({ n: 1 }, 'first');
      request.log.warn('second');
      request.log.debug('below the level');
      return { level: request.log.level };
    });
    await app.ready();
    children = 0;
  });
  afterAll(async () => app?.close());

  it('makes no child logger for a request that does not log', async () => {
    const before = children;
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/quiet' })).statusCode).toBe(200);
    expect(children).toBe(before);
  });

  it('writes the lines the child would have, with the request id, making the child once', async () => {
    const before = children;
    const res = await app.inject({ method: 'GET', url: '/talk' });
    expect(res.json()).toEqual({ level: 'info' });
    expect(children).toBe(before + 1);
    const mine = lines.filter((l) => l.msg === 'first' || l.msg === 'second' || l.msg === 'below the level');
    expect(mine.map((l) => [l.msg, l.level, l.n])).toEqual([
      ['first', 30, 1],
      ['second', 40, undefined],
    ]);
    expect(mine[0]!.reqId).toBeTypeOf('string');
    expect(mine[1]!.reqId).toBe(mine[0]!.reqId);
  });
});
