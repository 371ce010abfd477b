import { writeFileSync } from 'node:fs';
import { Argument, Option } from 'commander';
import { postmortemDraft } from '../../report/index.js';
import type { Cli } from '../command.js';
import { UsageError } from '../output.js';
import { id } from '../parse.js';

export function postmortemCommand(cli: Cli): void {
  cli.command<{ output?: string }, [number]>({
    name: 'postmortem',
    description: 'a Markdown postmortem draft of an incident: impact, phases, timeline, runbook findings, fixes, changes, follow-ups',
    arguments: [new Argument('<id>', 'the incident, e.g. 12 or #12').argParser(id('an incident id'))],
    options: [new Option('-o, --output <file>', 'write it to a file instead of printing it')],
    config: 'read',
    async action(ctx, id) {
      const core = await ctx.core();
      const draft = await postmortemDraft(core.rt.store.db, core.incidents, id, core.rt.clock.now());
      if (draft === undefined) throw new UsageError(`no incident ${id}`);
      if (ctx.opts.output) {
        writeFileSync(ctx.opts.output, draft);
        ctx.io.err(`wrote ${ctx.opts.output}`);
      } else ctx.io.out(draft);
    },
  });
}
