import type { Command } from 'commander';
import { ConfigError } from '../../config/index.js';
import {
  acknowledge,
  addNote,
  formatIncidentDetails,
  formatIncidentList,
  IncidentActionError,
  incidentDetails,
  listIncidents,
  PUBLIC_STATUSES,
  publicUpdateInput,
  recordCause,
  resolveIncident,
} from '../../incidents/index.js';
import { publishUpdate } from '../../notify/status-page/index.js';
import { cliActor, withCore } from '../session.js';
import { EXIT, reportConfigError, UsageError, type Output } from '../output.js';
import { configHelp, type ConfigUse } from '../config-path.js';

const idArg = (value: string) => {
  const id = Number.parseInt(value.replace(/^#/, ''), 10);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`not an incident id: ${value}`);
  return id;
};

export function incidentCommands(program: Command, io: Output, setExit: (code: number) => void): void {
  const run = async (file: string | undefined, use: ConfigUse, fn: Parameters<typeof withCore>[1]) => {
    try {
      await withCore({ file, use, io }, fn);
      setExit(EXIT.ok);
    } catch (err) {
      if (err instanceof ConfigError) return setExit(reportConfigError(err, io));
      if (err instanceof IncidentActionError) {
        io.err(err.message);
        return setExit(EXIT.badInput);
      }
      throw err;
    }
  };

  program
    .command('incidents')
    .description('list incidents, newest first')
    .option('--open', 'only incidents that are not closed')
    .option('--service <name>', 'only this service')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'print JSON')
    .option('-c, --config <file>', configHelp('read'))
    .action((opts: { open?: boolean; service?: string; limit: number; json?: boolean; config?: string }) =>
      run(opts.config, 'read', async (core) => {
        const { incidents, total } = await listIncidents(core.rt.store.db, { ...(opts.open ? { status: 'active' as const } : {}), ...(opts.service ? { service: opts.service } : {}), limit: opts.limit });
        io.out(opts.json ? JSON.stringify({ incidents, total }) : formatIncidentList(incidents, core.rt.clock.now()));
      }),
    );

  const incident = program.command('incident').description('show or act on one incident');
  incident
    .command('show <id>')
    .description('the timeline with relative times, and the four phase durations')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', configHelp('read'))
    .action((id: string, opts: { json?: boolean; config?: string }) =>
      run(opts.config, 'read', async (core) => {
        const details = await incidentDetails(core.rt.store.db, core.incidents, idArg(id));
        if (!details) throw new IncidentActionError('not_found', `no incident ${id}`);
        io.out(opts.json ? JSON.stringify(details) : formatIncidentDetails(details));
      }),
    );

  const act = (name: string, description: string, perform: (core: Parameters<Parameters<typeof withCore>[1]>[0], id: number, opts: Record<string, string | undefined>) => Promise<unknown>) =>
    incident
      .command(`${name} <id>`)
      .description(description)
      .option('-c, --config <file>', configHelp('act'))
      .option('--cause <text>', 'the cause (diagnose)')
      .option('--note <text>', 'a note (resolve)')
      .action((id: string, opts: Record<string, string | undefined>) =>
        run(opts.config, 'act', async (core) => {
          await perform(core, idArg(id), opts);
          const details = await incidentDetails(core.rt.store.db, core.incidents, idArg(id));
          io.out(`#${id} is now ${details?.incident.status}`);
        }),
      );
  act('ack', 'acknowledge: you are on it', (core, id) => acknowledge(core.incidents, id, cliActor()));
  act('diagnose', 'record the cause (--cause "...")', (core, id, o) => {
    if (!o.cause) throw new UsageError('give the cause with --cause "..."');
    return recordCause(core.incidents, id, o.cause, cliActor());
  });
  act('resolve', 'resolve: a fix was applied (verification follows)', (core, id, o) => resolveIncident(core.incidents, id, o.note, cliActor()));
  act('note', 'add a note (--note "...")', (core, id, o) => {
    if (!o.note) throw new UsageError('give the note with --note "..."');
    return addNote(core.incidents, id, o.note, cliActor());
  });

  incident
    .command('update <id>')
    .description(`a public update on the status page (--status ${PUBLIC_STATUSES.join('|')} --message "...")`)
    .option('-c, --config <file>', configHelp('act'))
    .option('--status <status>', PUBLIC_STATUSES.join(', '))
    .option('--message <text>', 'what the public reads')
    .action((id: string, opts: { config?: string; status?: string; message?: string }) =>
      run(opts.config, 'act', async (core) => {
        const update = publicUpdateInput.safeParse({ status: opts.status, message: opts.message });
        if (!update.success) {
          const issue = update.error.issues[0]!;
          throw new UsageError(`--${String(issue.path[0])}: ${opts[issue.path[0] as 'status' | 'message'] === undefined ? 'required' : issue.message}`);
        }
        await publishUpdate(core.incidents, core.rt.loaded.config.status_page, idArg(id), update.data, cliActor());
        io.out(`#${idArg(id)}: public update posted (${update.data.status})`);
      }),
    );
}
