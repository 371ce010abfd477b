import { formatProblem } from '../../config/index.js';
import type { Cli } from '../command.js';

export function validateCommand(cli: Cli): void {
  cli.command<{ json?: boolean }>({
    name: 'validate',
    description: 'check a config file and print what it defines',
    config: 'act',
    json: 'print the summary as JSON',
    action(ctx) {
      const { config, file, warnings } = ctx.config();
      const counts = {
        services: config.services.length,
        monitors: config.monitors.length,
        alerts: config.alerts.length,
        runbooks: config.runbooks.length,
        remediation_rules: config.remediation.length,
        flags: config.flags.length,
        channels: config.notifications.length,
        people: config.people.length,
        schedules: config.oncall.schedules.length,
        escalation_policies: config.oncall.escalation_policies.length,
      };
      if (ctx.opts.json) ctx.io.out(JSON.stringify({ file, valid: true, ...counts, warnings: warnings.map(formatProblem) }));
      else {
        ctx.io.out(`✓ ${file} is valid`);
        for (const [k, v] of Object.entries(counts)) ctx.io.out(`  ${k.replace(/_/g, ' ').padEnd(19)} ${v}`);
        // Warnings do not make the config invalid: the exit code stays 0.
        for (const w of warnings) ctx.io.err(`warning: ${formatProblem(w)}`);
      }
    },
  });
}
