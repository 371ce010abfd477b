import { Argument, Option } from 'commander';
import { IncidentActionError } from '../../incidents/index.js';
import { approveAttempt, rejectAttempt } from '../../resolve/index.js';
import type { Cli } from '../command.js';
import { cliActor } from '../context.js';
import { EXIT } from '../output.js';
import { id } from '../parse.js';

/** `medic approve <attemptId>` and `medic reject <attemptId>`: answer a remediation waiting for approval. */
export function approvalCommands(cli: Cli): void {
  for (const decision of ['approve', 'reject'] as const) {
    cli.command<{ reason?: string }, [number]>({
      name: decision,
      description: decision === 'approve' ? 'approve a remediation attempt that waits for approval (a worker runs it)' : 'reject a remediation attempt that waits for approval',
      arguments: [new Argument('<attemptId>', 'shown in the approval_requested event').argParser(id('an attempt id'))],
      options: [new Option('--reason <text>', 'why (kept on the timeline)')],
      config: 'act',
      expected: (err) => (err instanceof IncidentActionError ? (err.kind === 'not_found' ? EXIT.badInput : EXIT.failed) : undefined),
      async action(ctx, attemptId) {
        const { resolve } = await ctx.core();
        const input = { attemptId, actor: cliActor(), ...(ctx.opts.reason ? { reason: ctx.opts.reason } : {}) };
        const a = decision === 'approve' ? await approveAttempt(resolve, input) : await rejectAttempt(resolve, input);
        ctx.io.out(`${decision === 'approve' ? 'approved' : 'rejected'} attempt ${a.id}: ${a.rule} #${a.attempt} on incident #${a.incidentId}${decision === 'approve' ? ' (a worker runs it now)' : ''}`);
      },
    });
  }
}
