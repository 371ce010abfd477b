import path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/index.js';
import { startAllInOne, stopOnSignals } from '../../runtime/all-in-one.js';
import { openRuntime } from '../../runtime/bootstrap.js';
import { resolveStartConfig } from '../config-path.js';
import { EXIT, reportConfigError, type Output } from '../output.js';

export function startCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('start')
    .description('run Medic: API, UI, checks and automation in one process')
    .option('-c, --config <file>', 'config file (default ./medic.yaml)')
    .option('--port <port>', 'listen on this port instead of server.port', (v) => Number.parseInt(v, 10))
    .option('--data <dir>', 'keep the SQLite database in this folder')
    .action(async (opts: { config?: string; port?: number; data?: string }) => {
      let loaded;
      try {
        loaded = loadConfigFile(resolveStartConfig(opts.config));
      } catch (err) {
        return setExit(reportConfigError(err, io));
      }
      if (opts.data) loaded.config.storage.url = `sqlite://${path.resolve(opts.data, 'medic.db')}`;
      const rt = await openRuntime(loaded, { role: 'all' });
      const running = await startAllInOne(rt, { port: opts.port });
      io.err(`Medic is running on ${running.url.replace('0.0.0.0', 'localhost')} (config ${loaded.file})`);
      stopOnSignals(rt, running.stop);
      setExit(EXIT.ok);
      // Keep running until a signal; the command's promise resolves but the server holds the loop open.
    });
}
