import { Argument, InvalidArgumentError, Option } from 'commander';
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
  type PublicUpdateInput,
  recordCause,
  resolveIncident,
} from '../../incidents/index.js';
import { publishUpdate } from '../../notify/status-page/index.js';
import type { Core } from '../../runtime/core.js';
import { printed, type Cli } from '../command.js';
import { cliActor } from '../context.js';
import { id, integer, text } from '../parse.js';

const incidentId = () => new Argument('<id>', 'the incident, e.g. 12 or #12').argParser(id('an incident id'));
const expected = printed([IncidentActionError]);
/** The message of a public update, within the bounds the API takes. */
const publicMessage = (value: string): string => {
  const parsed = publicUpdateInput.shape.message.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]!.message);
  return parsed.data;
};

export function incidentCommands(cli: Cli): void {
  cli.command<{ open?: boolean; service?: string; limit: number; json?: boolean }>({
    name: 'incidents',
    description: 'list incidents, newest first',
    options: [
      new Option('--open', 'only incidents that are not closed'),
      new Option('--service <name>', 'only this service'),
      // The API's bounds (GET /api/incidents).
      new Option('--limit <n>', 'how many, 1 to 500').argParser(integer(1, 500)).default(50),
    ],
    json: 'print JSON',
    config: 'read',
    async action(ctx) {
      const { open, service, limit, json } = ctx.opts;
      const { rt } = await ctx.core();
      const { incidents, total } = await listIncidents(rt.store.db, { ...(open ? { status: 'active' as const } : {}), ...(service ? { service } : {}), limit });
      ctx.io.out(json ? JSON.stringify({ incidents, total }) : formatIncidentList(incidents, rt.clock.now()));
    },
  });

  const incident = cli.group('incident', 'show or act on one incident');
  incident.command<{ json?: boolean }, [number]>({
    name: 'show',
    description: 'the timeline with relative times, and the four phase durations',
    arguments: [incidentId()],
    json: 'print JSON',
    config: 'read',
    expected,
    async action(ctx, id) {
      const core = await ctx.core();
      const details = await incidentDetails(core.rt.store.db, core.incidents, id);
      if (!details) throw new IncidentActionError('not_found', `no incident ${id}`);
      ctx.io.out(ctx.opts.json ? JSON.stringify(details) : formatIncidentDetails(details));
    },
  });

  /** An action on one incident, with only the options it reads; prints the status it leaves. */
  const act = <O extends object>(name: string, description: string, options: Option[], perform: (core: Core, id: number, opts: O) => Promise<unknown>) =>
    incident.command<O, [number]>({
      name,
      description,
      arguments: [incidentId()],
      options,
      config: 'act',
      expected,
      async action(ctx, id) {
        const core = await ctx.core();
        await perform(core, id, ctx.opts);
        const details = await incidentDetails(core.rt.store.db, core.incidents, id);
        ctx.io.out(`#${id} is now ${details?.incident.status}`);
      },
    });
  const cause = new Option('--cause <text>', 'the cause').argParser(text).makeOptionMandatory();
  const note = (help: string) => new Option('--note <text>', help).argParser(text);
  act('ack', 'acknowledge: you are on it', [], (core, id) => acknowledge(core.incidents, id, cliActor()));
  act<{ cause: string }>('diagnose', 'record the cause (--cause "...")', [cause], (core, id, o) => recordCause(core.incidents, id, o.cause, cliActor()));
  act<{ note?: string }>('resolve', 'resolve: a fix was applied (verification follows)', [note('what fixed it')], (core, id, o) => resolveIncident(core.incidents, id, o.note, cliActor()));
  act<{ note: string }>('note', 'add a note (--note "...")', [note('the note').makeOptionMandatory()], (core, id, o) => addNote(core.incidents, id, o.note, cliActor()));

  incident.command<{ status: PublicUpdateInput['status']; message: string }, [number]>({
    name: 'update',
    description: `a public update on the status page (--status ${PUBLIC_STATUSES.join('|')} --message "...")`,
    arguments: [incidentId()],
    options: [
      new Option('--status <status>', 'where recovery stands, as the public reads it').choices(PUBLIC_STATUSES).makeOptionMandatory(),
      new Option('--message <text>', 'what the public reads').argParser(publicMessage).makeOptionMandatory(),
    ],
    config: 'act',
    expected,
    async action(ctx, id) {
      const core = await ctx.core();
      const update = publicUpdateInput.parse({ status: ctx.opts.status, message: ctx.opts.message });
      await publishUpdate(core.incidents, core.rt.loaded.config.status_page, id, update, cliActor());
      ctx.io.out(`#${id}: public update posted (${update.status})`);
    },
  });
}
