import { Argument } from 'commander';
import { diagnoseService } from '../../diagnose/index.js';
import type { Cli } from '../command.js';
import { requireService } from '../lookup.js';
import { EXIT } from '../output.js';

export function diagnoseCommand(cli: Cli): void {
  cli.command<{ json?: boolean }, [string]>({
    name: 'diagnose',
    description: "run the service's matching runbooks now and print the diagnostic report (for its open incident, if any)",
    arguments: [new Argument('<service>')],
    config: 'read',
    json: 'print the reports as JSON',
    async action(ctx, service) {
      requireService(ctx.config(), service);
      const result = await diagnoseService((await ctx.core()).diagnose, service, ctx.signal);
      if (ctx.opts.json) ctx.io.out(JSON.stringify({ service, incident: result.incident?.id ?? null, runs: result.runs }));
      else if (result.runs.length === 0) ctx.io.out(`no runbook matches ${service}${result.incident ? ` (incident #${result.incident.id})` : ''}`);
      else ctx.io.out(result.runs.map((r) => r.report).join('\n'));
      // A step that failed is a finding, and the exit code says so (as a failed check does).
      return result.runs.some((r) => r.failed > 0) ? EXIT.failed : EXIT.ok;
    },
  });
}
