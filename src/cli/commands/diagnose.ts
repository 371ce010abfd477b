import type { Command } from 'commander';
import { diagnoseService } from '../../diagnose/index.js';
import { openSession } from '../session.js';
import { EXIT, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

export function diagnoseCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('diagnose <service>')
    .description("run the service's matching runbooks now and print the diagnostic report (for its open incident, if any)")
    .option('-c, --config <file>', configHelp('read'))
    .option('--json', 'print the reports as JSON')
    .action(async (service: string, opts: { config?: string; json?: boolean }) => {
      const session = await openSession({ file: opts.config, use: 'read', io });
      if ('exit' in session) return setExit(session.exit);
      try {
        const { config } = session.core.rt.loaded;
        if (!config.services.some((s) => s.name === service)) {
          io.err(`no service ${JSON.stringify(service)} in services: (known: ${config.services.map((s) => s.name).join(', ') || 'none'})`);
          return setExit(EXIT.badInput);
        }
        const abort = new AbortController();
        const onSignal = () => abort.abort(new Error('interrupted'));
        process.once('SIGINT', onSignal);
        let result;
        try {
          result = await diagnoseService(session.core.diagnose, service, abort.signal);
        } finally {
          process.off('SIGINT', onSignal);
        }
        if (opts.json) io.out(JSON.stringify({ service, incident: result.incident?.id ?? null, runs: result.runs }));
        else if (result.runs.length === 0) io.out(`no runbook matches ${service}${result.incident ? ` (incident #${result.incident.id})` : ''}`);
        else io.out(result.runs.map((r) => r.report).join('\n'));
        // A step that failed is a finding, and the exit code says so (as a failed check does).
        setExit(result.runs.some((r) => r.failed > 0) ? EXIT.failed : EXIT.ok);
      } finally {
        await session.close();
      }
    });
}
