import { Argument } from 'commander';
import { IncidentActionError } from '../../incidents/index.js';
import { rollbackService } from '../../resolve/index.js';
import { printed, type Cli } from '../command.js';
import { cliActor } from '../context.js';
import { EXIT } from '../output.js';

export function rollbackCommand(cli: Cli): void {
  cli.command<{ json?: boolean }, [string]>({
    name: 'rollback',
    description: "run the service's rollback command; recorded as a deployment and as the fix of its open incidents",
    arguments: [new Argument('<service>')],
    config: 'act',
    json: 'print the result as JSON',
    expected: printed([IncidentActionError]),
    async action(ctx, service) {
      const result = await rollbackService((await ctx.core()).resolve, service, cliActor(), ctx.signal);
      if (ctx.opts.json) ctx.io.out(JSON.stringify(result));
      else {
        if (result.output.trim()) ctx.io.out(result.output.trimEnd());
        const where = result.incidentIds.length ? ` (incident${result.incidentIds.length === 1 ? '' : 's'} ${result.incidentIds.map((i) => `#${i}`).join(', ')})` : '';
        if (result.ok) ctx.io.out(`✓ rolled back ${service}${result.version ? ` to ${result.version}` : ''}${where}`);
        else ctx.io.err(`✗ rollback of ${service} failed: ${result.error ?? 'unknown error'}${where}`);
      }
      return result.ok ? EXIT.ok : EXIT.failed;
    },
  });
}
