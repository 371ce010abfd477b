import { Argument, Option } from 'commander';
import { FlagChangeError, formatFlagList, formatPercent } from '../../resolve/flags/index.js';
import { printed, type Cli } from '../command.js';
import { cliActor } from '../context.js';
import { id, percentage, text } from '../parse.js';

/**
 * `medic flags list|disable|enable`: the kill switch from a terminal. Changes go through the same
 * function as the API and remediation; a running Medic on the same database serves them within a second.
 */

interface SwitchOptions {
  reason: string;
  incident?: number;
  rollout?: number;
}

export function flagCommands(root: Cli): void {
  const cli = root.group('flags', 'feature flags and kill switches');

  cli.command<{ json?: boolean }>({
    name: 'list',
    description: 'every flag: state, rollout and the last change',
    json: 'print JSON',
    config: 'read',
    async action(ctx) {
      const core = await ctx.core();
      const list = await core.flags.list();
      ctx.io.out(ctx.opts.json ? JSON.stringify({ flags: list }) : formatFlagList(list, core.rt.clock.now()));
    },
  });

  const toggle = (name: 'disable' | 'enable', description: string) =>
    cli.command<SwitchOptions, [string]>({
      name,
      description,
      arguments: [new Argument('<key>', 'the flag')],
      options: [
        new Option('--reason <text>', 'why (recorded with the change)').argParser(text).makeOptionMandatory(),
        new Option('--incident <id>', 'the incident this is for: the change counts as its fix').argParser(id('an incident id')),
        ...(name === 'enable' ? [new Option('--rollout <percent>', 'also set the rollout, e.g. 25%').argParser(percentage)] : []),
      ],
      config: 'act',
      expected: printed([FlagChangeError]),
      async action(ctx, key) {
        const { reason, incident: incidentId, rollout } = ctx.opts;
        const result = await (await ctx.core()).flags.change({
          key,
          enabled: name === 'enable',
          ...(rollout !== undefined ? { rollout } : {}),
          reason,
          ...(incidentId !== undefined ? { incidentId } : {}),
          actor: cliActor(),
          source: 'cli',
        });
        const flag = result.flag!;
        const state = flag.enabled ? `on at ${formatPercent(flag.rollout)}` : 'off';
        if (!result.changed) ctx.io.out(`${key} is already ${state}; nothing changed`);
        else ctx.io.out(`${key} is now ${state} (v${flag.version}, change #${result.change!.id}${incidentId !== undefined ? `, the fix of incident #${incidentId}` : ''})`);
      },
    });
  toggle('disable', 'switch a flag off (the kill switch): everyone gets its off variant');
  toggle('enable', 'switch a flag back on');
}
