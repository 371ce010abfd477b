import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../config/index.js';
import { postmortemDraft } from '../../report/index.js';
import { withCore } from '../session.js';
import { EXIT, reportConfigError, UsageError, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

export function postmortemCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('postmortem <id>')
    .description('a Markdown postmortem draft of an incident: impact, phases, timeline, runbook findings, fixes, changes, follow-ups')
    .option('-o, --output <file>', 'write it to a file instead of printing it')
    .option('-c, --config <file>', configHelp('read'))
    .action(async (idText: string, opts: { output?: string; config?: string }) => {
      const id = Number.parseInt(idText.replace(/^#/, ''), 10);
      if (!Number.isInteger(id) || id <= 0 || !/^#?\d+$/.test(idText)) throw new UsageError(`not an incident id: ${idText}`);
      try {
        const draft = await withCore({ file: opts.config, use: 'read', io }, (core) => postmortemDraft(core.rt.store.db, core.incidents, id, core.rt.clock.now()));
        if (draft === undefined) throw new UsageError(`no incident ${id}`);
        if (opts.output) {
          writeFileSync(opts.output, draft);
          io.err(`wrote ${opts.output}`);
        } else io.out(draft);
        setExit(EXIT.ok);
      } catch (err) {
        if (err instanceof ConfigError) return setExit(reportConfigError(err, io));
        throw err;
      }
    });
}
