import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/index.js';
import { startAllInOne, stopOnSignals } from '../../runtime/all-in-one.js';
import { openRuntime } from '../../runtime/bootstrap.js';
import { startDemo } from '../../runtime/demo/demo.js';
import { createLogger } from '../../shared/logger.js';
import { DEFAULT_CONFIG } from '../config-path.js';
import { EXIT, reportConfigError, type Output } from '../output.js';

export function startCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('start')
    .description('run Medic: API, UI, checks and automation in one process (the demo when there is no medic.yaml)')
    .option('-c, --config <file>', 'config file (default ./medic.yaml; without one, the demo runs)')
    .option('--port <port>', 'listen on this port instead of server.port', (v) => Number.parseInt(v, 10))
    .option('--data <dir>', 'keep the SQLite database in this folder')
    .action(async (opts: { config?: string; port?: number; data?: string }) => {
      const file = opts.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
      if (!file) return runDemo(io, opts, setExit);
      let loaded;
      try {
        loaded = loadConfigFile(path.resolve(file));
      } catch (err) {
        return setExit(reportConfigError(err, io));
      }
      if (opts.data) loaded.config.storage.url = `sqlite://${path.resolve(opts.data, 'medic.db')}`;
      const rt = await openRuntime(loaded, { role: 'all' });
      const running = await startAllInOne(rt, { port: opts.port });
      io.err(`Medic is running on ${running.url.replace('0.0.0.0', 'localhost')} (config ${loaded.file})`);
      stopOnSignals(rt, running.stop);
      setExit(EXIT.ok);
    });
}

async function runDemo(io: Output, opts: { port?: number; data?: string }, setExit: (code: number) => void) {
  const logger = createLogger();
  const demo = await startDemo({ port: opts.port ?? 8080, dataDir: opts.data ?? 'data', logger });
  const link = `${demo.url.replace('127.0.0.1', 'localhost')}/?token=${demo.token}`;
  io.err(
    [
      '',
      '  Medic demo: a shop service with faults that Medic detects, diagnoses, fixes and verifies by itself.',
      `  Open ${link}`,
      `  (or sign in at ${demo.url.replace('127.0.0.1', 'localhost')} with the token ${demo.token})`,
      `  The shop runs at ${demo.shopUrl}; the config Medic runs is in ${path.resolve(opts.data ?? 'data', 'demo-medic.yaml')}.`,
      '  Put a medic.yaml in this folder (see examples/) to run your own. Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  stopOnSignals({ logger }, demo.stop);
  setExit(EXIT.ok);
}
