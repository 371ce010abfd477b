import type { FastifyInstance } from 'fastify';
import { loadConfigText } from '../../src/config/index.js';
import { appContext } from '../../src/runtime/all-in-one.js';
import { openRuntime, type Runtime } from '../../src/runtime/bootstrap.js';
import { buildCore, type Core } from '../../src/runtime/core.js';
import { buildApp } from '../../src/server/app.js';
import { ManualClock, type Clock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createToken } from '../../src/store/index.js';
import { testDatabaseUrl, type TestEngine } from './stores.js';

/** A real app over a real database, driven with Fastify's inject; one token per role. */
export interface TestApp {
  app: FastifyInstance;
  rt: Runtime;
  core: Core;
  clock: ManualClock;
  tokens: { viewer: string; responder: string; admin: string };
  /** Authorization headers for a role. */
  as(role: 'viewer' | 'responder' | 'admin'): { authorization: string };
  close(): Promise<void>;
}

export async function openTestApp(options: { engine?: TestEngine; config?: string; env?: NodeJS.ProcessEnv; clock?: Clock } = {}): Promise<TestApp> {
  const { url, drop } = testDatabaseUrl(options.engine ?? 'sqlite');
  const loaded = loadConfigText(`${options.config ?? ''}\nstorage: { url: "${url}" }\n`, { env: options.env ?? {} });
  const manual = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const rt = await openRuntime(loaded, { logger: silentLogger, clock: options.clock ?? manual, applyConfig: true });
  const clock = manual;
  const core = await buildCore(rt);
  const app = await buildApp(appContext(core));
  const tokens = {
    viewer: (await createToken(rt.store.db, { name: 'v', role: 'viewer', source: 'cli' }, clock.now())).token,
    responder: (await createToken(rt.store.db, { name: 'r', role: 'responder', source: 'cli' }, clock.now())).token,
    admin: (await createToken(rt.store.db, { name: 'a', role: 'admin', source: 'cli' }, clock.now())).token,
  };
  return {
    app,
    rt,
    core,
    clock,
    tokens,
    as: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    async close() {
      await app.close();
      await rt.store.close();
      await drop();
    },
  };
}
