import type { Command } from 'commander';
import { IncidentActionError } from '../../incidents/index.js';
import { approveAttempt, rejectAttempt } from '../../resolve/index.js';
import { cliActor, openSession } from '../session.js';
import { EXIT, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

/** `medic approve <attemptId>` and `medic reject <attemptId>`: answer a remediation waiting for approval. */
export function approvalCommands(program: Command, io: Output, setExit: (code: number) => void): void {
  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(`${decision} <attemptId>`)
      .description(decision === 'approve' ? 'approve a remediation attempt that waits for approval (a worker runs it)' : 'reject a remediation attempt that waits for approval')
      .option('--reason <text>', 'why (kept on the timeline)')
      .option('-c, --config <file>', configHelp('act'))
      .action(async (attemptId: string, opts: { reason?: string; config?: string }) => {
        const id = Number(attemptId);
        if (!Number.isInteger(id) || id <= 0) {
          io.err(`expected an attempt id (a positive number, shown in the approval_requested event), got ${JSON.stringify(attemptId)}`);
          return setExit(EXIT.badInput);
        }
        const session = await openSession({ file: opts.config, use: 'act', io });
        if ('exit' in session) return setExit(session.exit);
        try {
          const input = { attemptId: id, actor: cliActor(), ...(opts.reason ? { reason: opts.reason } : {}) };
          const a = decision === 'approve' ? await approveAttempt(session.core.resolve, input) : await rejectAttempt(session.core.resolve, input);
          io.out(`${decision === 'approve' ? 'approved' : 'rejected'} attempt ${a.id}: ${a.rule} #${a.attempt} on incident #${a.incidentId}${decision === 'approve' ? ' (a worker runs it now)' : ''}`);
          setExit(EXIT.ok);
        } catch (err) {
          if (!(err instanceof IncidentActionError)) throw err;
          io.err(err.message);
          setExit(err.kind === 'not_found' ? EXIT.badInput : EXIT.failed);
        } finally {
          await session.close();
        }
      });
  }
}
