import type { Command } from 'commander';
import { ROLES, type Role } from '../../config/index.js';
import { Store, createToken } from '../../store/index.js';
import { configHelp, loadCommandConfig } from '../config-path.js';
import { EXIT, reportConfigError, type Output } from '../output.js';

export function tokenCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token and print it (once: only its hash is stored)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'a name to recognize it by', 'cli')
    .option('-c, --config <file>', configHelp('act'))
    .option('--json', 'print as JSON')
    .action(async (opts: { role: string; name: string; config?: string; json?: boolean }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) {
        io.err(`--role must be one of ${ROLES.join(', ')}, got "${opts.role}"`);
        return setExit(EXIT.badInput);
      }
      let loaded;
      try {
        loaded = loadCommandConfig(opts.config, 'act', io);
      } catch (err) {
        return setExit(reportConfigError(err, io));
      }
      const store = await Store.open({ url: loaded.config.storage.url, poolSize: 2 });
      try {
        const created = await createToken(store.db, { name: opts.name, role: opts.role as Role, source: 'cli' }, Date.now());
        if (opts.json) io.out(JSON.stringify({ ...created.info, token: created.token }));
        else {
          io.out(created.token);
          io.err(`created ${opts.role} token "${opts.name}" (id ${created.info.id}); it is not shown again`);
        }
        setExit(EXIT.ok);
      } finally {
        await store.close();
      }
    });
}
