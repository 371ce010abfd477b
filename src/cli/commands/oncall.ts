import { Option } from 'commander';
import { formatOncall, oncallOverview } from '../../notify/oncall/index.js';
import type { Cli } from '../command.js';
import { requireSchedule } from '../lookup.js';
import { instant } from '../parse.js';

/** `medic oncall`: who is on call now (or then) and next. It reads medic.yaml only, never the database. */
export function oncallCommand(cli: Cli): void {
  cli.command<{ at?: number; schedule?: string; json?: boolean }>({
    name: 'oncall',
    description: 'who is on call now (or at --at) and next, per schedule and per escalation policy',
    options: [
      new Option('--at <time>', 'the instant (a date, a time, or a duration ago such as 2h; default now)').argParser(instant),
      new Option('--schedule <name>', 'only this schedule (and the policies that page it)'),
    ],
    json: 'print JSON',
    config: 'read',
    action(ctx) {
      const { at, schedule, json } = ctx.opts;
      const loaded = ctx.config();
      if (schedule !== undefined) requireSchedule(loaded, schedule);
      const overview = oncallOverview(loaded.config, at ?? Date.now(), schedule);
      ctx.io.out(json ? JSON.stringify(overview) : formatOncall(overview));
    },
  });
}
