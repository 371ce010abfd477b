import type { Command } from 'commander';
import { ConfigError, parsePercentage } from '../../config/index.js';
import { FlagChangeError, formatFlagList, formatPercent } from '../../resolve/flags/index.js';
import { cliActor, withCore } from '../session.js';
import { EXIT, reportConfigError, UsageError, type Output } from '../output.js';
import { configHelp, type ConfigUse } from '../config-path.js';

/**
 * `medic flags list|disable|enable`: the kill switch from a terminal. Changes go through the same
 * function as the API and remediation; a running Medic on the same database serves them within a second.
 */

interface SwitchOptions {
  reason?: string;
  incident?: string;
  rollout?: string;
  config?: string;
}

const incidentArg = (value: string) => {
  const id = Number.parseInt(value.replace(/^#/, ''), 10);
  if (!Number.isInteger(id) || id <= 0 || String(id) !== value.replace(/^#/, '')) throw new UsageError(`not an incident id: ${value}`);
  return id;
};

export function flagCommands(program: Command, io: Output, setExit: (code: number) => void): void {
  const run = async (file: string | undefined, use: ConfigUse, fn: Parameters<typeof withCore>[1]) => {
    try {
      await withCore({ file, use, io }, fn);
      setExit(EXIT.ok);
    } catch (err) {
      if (err instanceof ConfigError) return setExit(reportConfigError(err, io));
      if (err instanceof FlagChangeError) {
        io.err(err.message);
        return setExit(EXIT.badInput);
      }
      throw err;
    }
  };

  const flags = program.command('flags').description('feature flags and kill switches');

  flags
    .command('list')
    .description('every flag: state, rollout and the last change')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', configHelp('read'))
    .action((opts: { json?: boolean; config?: string }) =>
      run(opts.config, 'read', async (core) => {
        const list = await core.flags.list();
        io.out(opts.json ? JSON.stringify({ flags: list }) : formatFlagList(list, core.rt.clock.now()));
      }),
    );

  const toggle = (name: 'disable' | 'enable', description: string) => {
    const cmd = flags
      .command(`${name} <key>`)
      .description(description)
      .option('--reason <text>', 'why (recorded with the change; required)')
      .option('--incident <id>', 'the incident this is for: the change counts as its fix')
      .option('-c, --config <file>', configHelp('act'));
    if (name === 'enable') cmd.option('--rollout <percent>', 'also set the rollout, e.g. 25%');
    cmd.action((key: string, opts: SwitchOptions) => {
      if (!opts.reason?.trim()) throw new UsageError(`say why with --reason "..."`);
      const incidentId = opts.incident === undefined ? undefined : incidentArg(opts.incident);
      const rollout = opts.rollout === undefined ? undefined : parsePercentage(opts.rollout);
      if (opts.rollout !== undefined && rollout === undefined) throw new UsageError(`--rollout: expected a percentage such as 25%, got ${opts.rollout}`);
      return run(opts.config, 'act', async (core) => {
        const result = await core.flags.change({
          key,
          enabled: name === 'enable',
          ...(rollout !== undefined ? { rollout } : {}),
          reason: opts.reason!,
          ...(incidentId !== undefined ? { incidentId } : {}),
          actor: cliActor(),
          source: 'cli',
        });
        const flag = result.flag!;
        const state = flag.enabled ? `on at ${formatPercent(flag.rollout)}` : 'off';
        if (!result.changed) io.out(`${key} is already ${state}; nothing changed`);
        else io.out(`${key} is now ${state} (v${flag.version}, change #${result.change!.id}${incidentId !== undefined ? `, the fix of incident #${incidentId}` : ''})`);
      });
    });
  };
  toggle('disable', 'switch a flag off (the kill switch): everyone gets its off variant');
  toggle('enable', 'switch a flag back on');
}
