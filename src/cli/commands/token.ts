import { Option } from 'commander';
import { ROLES, type Role } from '../../config/index.js';
import { createToken } from '../../store/index.js';
import type { Cli } from '../command.js';

export function tokenCommand(root: Cli): void {
  root.group('token', 'manage API tokens').command<{ role: Role; name: string; json?: boolean }>({
    name: 'create',
    description: 'create an API token and print it (once: only its hash is stored)',
    options: [new Option('--role <role>', 'what it may do').choices(ROLES).makeOptionMandatory(), new Option('--name <name>', 'a name to recognize it by').default('cli')],
    config: 'act',
    json: 'print as JSON',
    async action(ctx) {
      const { role, name, json } = ctx.opts;
      const { rt } = await ctx.core();
      const created = await createToken(rt.store.db, { name, role, source: 'cli' }, rt.clock.now());
      if (json) ctx.io.out(JSON.stringify({ ...created.info, token: created.token }));
      else {
        ctx.io.out(created.token);
        ctx.io.err(`created ${role} token "${name}" (id ${created.info.id}); it is not shown again`);
      }
    },
  });
}
