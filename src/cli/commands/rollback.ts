import type { Command } from 'commander';
import { IncidentActionError } from '../../incidents/index.js';
import { rollbackService } from '../../resolve/index.js';
import { cliActor, openSession } from '../session.js';
import { EXIT, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

export function rollbackCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('rollback <service>')
    .description("run the service's rollback command; recorded as a deployment and as the fix of its open incidents")
    .option('-c, --config <file>', configHelp('act'))
    .option('--json', 'print the result as JSON')
    .action(async (service: string, opts: { config?: string; json?: boolean }) => {
      const session = await openSession({ file: opts.config, use: 'act', io });
      if ('exit' in session) return setExit(session.exit);
      try {
        const abort = new AbortController();
        const onSignal = () => abort.abort(new Error('interrupted'));
        process.once('SIGINT', onSignal);
        let result;
        try {
          result = await rollbackService(session.core.resolve, service, cliActor(), abort.signal);
        } catch (err) {
          if (err instanceof IncidentActionError) {
            io.err(err.message);
            return setExit(EXIT.badInput);
          }
          throw err;
        } finally {
          process.off('SIGINT', onSignal);
        }
        if (opts.json) io.out(JSON.stringify(result));
        else {
          if (result.output.trim()) io.out(result.output.trimEnd());
          const where = result.incidentIds.length ? ` (incident${result.incidentIds.length === 1 ? '' : 's'} ${result.incidentIds.map((i) => `#${i}`).join(', ')})` : '';
          if (result.ok) io.out(`✓ rolled back ${service}${result.version ? ` to ${result.version}` : ''}${where}`);
          else io.err(`✗ rollback of ${service} failed: ${result.error ?? 'unknown error'}${where}`);
        }
        setExit(result.ok ? EXIT.ok : EXIT.failed);
      } finally {
        await session.close();
      }
    });
}
