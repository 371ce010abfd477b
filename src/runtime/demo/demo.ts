import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfigText } from '../../config/index.js';
import { recordDeployment } from '../../diagnose/index.js';
import { listIncidents } from '../../incidents/index.js';
import { makePrivateDir, writePrivateFile } from '../../shared/files.js';
import type { Logger } from '../../shared/logger.js';
import { startAllInOne, type RunningServer } from '../all-in-one.js';
import { openRuntime } from '../bootstrap.js';
import { demoConfigFile } from './paths.js';
import { playScenario } from './scenario.js';
import { DEMO_DIR, freeLoopbackPort, startShop } from './shop-process.js';

/**
 * `medic start` with no medic.yaml: a small shop service on loopback, a Medic that watches it, and a
 * fault scenario in a loop, so a visitor sees incidents detected, diagnosed, fixed and verified by
 * themselves within a minute, and the MTTR report filling in.
 */
export interface DemoOptions {
  port: number;
  dataDir: string;
  logger?: Logger;
  /** Calm time before each fault (tests shorten it). */
  calmMs?: number;
}

export interface RunningDemo {
  server: RunningServer;
  url: string;
  token: string;
  shopUrl: string;
  /** The shop's process id. */
  shopPid: number;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const dataDir = path.resolve(options.dataDir);
  makePrivateDir(dataDir);
  // Fresh tokens per run, each with the least role it needs: the sign-in link's (printed once) is a
  // responder's — enough to approve remediations and pull the kill switch, not to manage tokens; the
  // shop reads its flag over OFREP with a flags token.
  const token = `mdk_demo_${randomBytes(18).toString('base64url')}`;
  const shopToken = `mdk_shop_${randomBytes(18).toString('base64url')}`;
  const shopPort = await freeLoopbackPort(3900);
  const shopUrl = `http://127.0.0.1:${shopPort}`;

  const template = readFileSync(path.join(DEMO_DIR, 'medic.demo.yaml'), 'utf8');
  const text =
    template.replaceAll('{{SHOP}}', shopUrl).replaceAll('{{SHOP_HOSTPORT}}', `127.0.0.1:${shopPort}`).replaceAll('{{DATA}}', dataDir) +
    `\nserver: { port: ${options.port}, host: 127.0.0.1 }\nauth:\n  tokens:\n    - { name: demo, role: responder, token: "${token}" }\n    - { name: demo-shop, role: flags, token: "${shopToken}" }\n`;
  // Written out so a visitor can read the config the demo runs (and copy from it); the tokens are not.
  const file = demoConfigFile(dataDir);
  writePrivateFile(file, text.replace(token, '<the token in the sign-in link>').replace(shopToken, "<the shop's token>"));
  const loaded = loadConfigText(text, { file, baseDir: DEMO_DIR });

  const rt = await openRuntime(loaded, { role: 'demo', applyConfig: true, ...(options.logger ? { logger: options.logger } : {}) });
  // No reloads: the file written above is a copy to read, without the tokens; reloading it would revoke them.
  const server = await startAllInOne(rt, { port: options.port, host: '127.0.0.1', watchConfig: false });
  const shop = await startShop({ port: shopPort, medicUrl: server.url, token: shopToken });
  const scenario = playScenario({
    shop,
    logger: rt.logger,
    ...(options.calmMs !== undefined ? { calmMs: options.calmMs } : {}),
    deploy: async (service, version) => {
      await recordDeployment(rt.store.db, { service, version, actor: 'demo-ci' }, rt.clock.now());
    },
    activeIncidents: async () => (await listIncidents(rt.store.db, { status: 'active', limit: 1 })).total,
    enableFlag: async (key, reason) => {
      await server.core.flags.change({ key, enabled: true, actor: 'demo', reason, source: 'api' });
    },
  });

  return {
    server,
    url: server.url,
    token,
    shopUrl,
    shopPid: shop.pid,
    async stop() {
      scenario.stop();
      await shop.stop();
      await server.stop();
    },
  };
}
