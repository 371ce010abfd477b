import { Argument, Option } from 'commander';
import { recordDeployment } from '../../diagnose/index.js';
import type { Cli } from '../command.js';
import { cliActor } from '../context.js';
import { url } from '../parse.js';

export function deployCommand(cli: Cli): void {
  cli.command<{ commit?: string; url?: string; json?: boolean }, [string, string]>({
    name: 'deploy',
    description: 'record a deployment (incidents that open soon after list it as a suspect)',
    arguments: [new Argument('<service>'), new Argument('<version>')],
    options: [new Option('--commit <sha>', 'the commit deployed'), new Option('--url <url>', 'a link to the pipeline run or release').argParser(url())],
    config: 'act',
    json: 'print the deployment as JSON',
    async action(ctx, service, version) {
      const { rt } = await ctx.core();
      const { opts } = ctx;
      const d = await recordDeployment(rt.store.db, { service, version, commit: opts.commit ?? null, url: opts.url ?? null, actor: cliActor() }, rt.clock.now());
      if (opts.json) ctx.io.out(JSON.stringify(d));
      else ctx.io.out(`recorded deployment #${d.id}: ${d.service} ${d.version}${d.commit ? ` (${d.commit})` : ''} at ${new Date(d.deployedAt).toISOString()}`);
    },
  });
}
