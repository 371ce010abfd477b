import type { Command } from 'commander';
import { recordDeployment } from '../../diagnose/index.js';
import { cliActor, openSession } from '../session.js';
import { EXIT, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

export function deployCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('deploy <service> <version>')
    .description('record a deployment (incidents that open soon after list it as a suspect)')
    .option('--commit <sha>', 'the commit deployed')
    .option('--url <url>', 'a link to the pipeline run or release')
    .option('-c, --config <file>', configHelp('act'))
    .option('--json', 'print the deployment as JSON')
    .action(async (service: string, version: string, opts: { commit?: string; url?: string; config?: string; json?: boolean }) => {
      if (opts.url !== undefined && !URL.canParse(opts.url)) {
        io.err(`--url must be an absolute URL, got ${JSON.stringify(opts.url)}`);
        return setExit(EXIT.badInput);
      }
      const session = await openSession({ file: opts.config, use: 'act', io });
      if ('exit' in session) return setExit(session.exit);
      try {
        const { rt } = session.core;
        const d = await recordDeployment(rt.store.db, { service, version, commit: opts.commit ?? null, url: opts.url ?? null, actor: cliActor() }, rt.clock.now());
        if (opts.json) io.out(JSON.stringify(d));
        else io.out(`recorded deployment #${d.id}: ${d.service} ${d.version}${d.commit ? ` (${d.commit})` : ''} at ${new Date(d.deployedAt).toISOString()}`);
        setExit(EXIT.ok);
      } finally {
        await session.close();
      }
    });
}
