import path from 'node:path';
import { Option } from 'commander';
import { startAllInOne, stopOnSignals } from '../../runtime/all-in-one.js';
import { startApi } from '../../runtime/api-role.js';
import { openRuntime } from '../../runtime/bootstrap.js';
import { startDemo } from '../../runtime/demo/demo.js';
import { DEMO_DATA_DIR, demoConfigFile } from '../../runtime/demo/paths.js';
import { tuneHeap } from '../../runtime/heap.js';
import { startWorker } from '../../runtime/worker-role.js';
import { createLogger } from '../../shared/logger.js';
import type { Cli } from '../command.js';
import { findConfigFile } from '../config-path.js';
import type { CommandContext } from '../context.js';
import { UsageError, type Output } from '../output.js';
import { integer, matching } from '../parse.js';

/**
 * `medic start [--role all|api|worker]` and `medic worker` (= `start --role worker`). `all`, the default,
 * is the all-in-one process; `api` serves the API, the UI and ingest; `worker` runs checks and
 * automation. Several processes share one PostgreSQL database (see README, "Running several workers").
 */

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

interface RoleOptions {
  port?: number;
  data?: string;
  location?: string;
  concurrency?: number;
  metricsPort?: number;
}

const port = (flags: string, help: string) => new Option(flags, help).argParser(integer(0, 65535));
const workerOptions = () => [
  new Option('--location <name>', 'where this process runs checks from (default workers.location; roles all and worker)').argParser(matching(/^[\w.:-]{1,64}$/, "1 to 64 letters, digits, '.', ':', '_' or '-'")),
  new Option('--concurrency <n>', 'checks and jobs in flight at once (default workers.concurrency; roles all and worker)').argParser(integer(1, 10_000)),
  port('--metrics-port <port>', 'role worker: serve GET /healthz and GET /metrics on this port (off by default)'),
];

export function startCommand(cli: Cli): void {
  cli.command<RoleOptions & { role: ProcessRole }>({
    name: 'start',
    description: 'run Medic: API, UI, checks and automation in one process (the demo when there is no medic.yaml); --role api|worker splits them',
    config: 'serve',
    options: [
      new Option('--role <role>', 'what this process does (all: the API and the worker in one process)').choices(PROCESS_ROLES).default('all'),
      port('--port <port>', 'listen on this port instead of server.port (roles all and api)'),
      new Option('--data <dir>', 'keep the SQLite database in this folder'),
      ...workerOptions(),
    ],
    async action(ctx) {
      const { role, port, data } = ctx.opts;
      tuneHeap();
      if (findConfigFile(ctx.opts.config) !== undefined) return runRole(ctx, role);
      if (role !== 'all') throw new UsageError(`--role ${role} needs a medic.yaml (-c file) with a PostgreSQL storage.url; without one, medic start runs the demo`);
      await runDemo(ctx.io, { port, data });
    },
  });

  cli.command<RoleOptions>({
    name: 'worker',
    description: 'run a worker: checks (from --location), runbooks, remediation, verification and notifications, with no API (needs PostgreSQL; same as start --role worker)',
    config: 'act',
    options: workerOptions(),
    action: (ctx) => {
      tuneHeap();
      return runRole(ctx, 'worker');
    },
  });
}

async function runRole(ctx: CommandContext<RoleOptions>, role: ProcessRole): Promise<void> {
  const { port, concurrency, metricsPort, location, data } = ctx.opts;
  if (role !== 'worker' && metricsPort !== undefined) throw new UsageError(`--metrics-port is for workers (roles all and api serve /healthz and /metrics on their own port)`);
  if (role === 'api' && (location !== undefined || concurrency !== undefined)) throw new UsageError('--location and --concurrency are for roles that run checks and jobs (all, worker)');
  if (role === 'worker' && port !== undefined) throw new UsageError('--port is for roles that serve the API (all, api); a worker takes --metrics-port');

  const loaded = ctx.config();
  if (data) loaded.config.storage.url = `sqlite://${path.resolve(data, 'medic.db')}`;
  if (role !== 'all' && !/^postgres(ql)?:/.test(loaded.config.storage.url)) {
    // Leases on SQLite assume one process; several processes on one file would contend for its lock.
    throw new UsageError(`--role ${role} needs PostgreSQL (storage.url: postgres://…): on SQLite, run one all-in-one process (medic start)`);
  }

  // A process that serves Medic opens its own runtime, which applies medic.yaml to the database; the
  // core of one-off commands (ctx.core) never does.
  const rt = await openRuntime(loaded, { role, applyConfig: true, ...(location !== undefined ? { location } : {}) });
  const where = `config ${loaded.file}`;
  if (role === 'worker') {
    const running = await startWorker(rt, { concurrency, metricsPort });
    ctx.io.err(`Medic worker ${rt.identity.id} is running at location ${rt.identity.location} (${where}${running.metricsUrl ? `; health and metrics on ${running.metricsUrl}` : ''})`);
    stopOnSignals(rt, running.stop);
  } else {
    const running = role === 'api' ? await startApi(rt, { port }) : await startAllInOne(rt, { port, concurrency });
    ctx.io.err(`Medic${role === 'api' ? ' (API)' : ''} is running on ${running.url.replace('0.0.0.0', 'localhost')} (${where})`);
    stopOnSignals(rt, running.stop);
  }
}

async function runDemo(io: Output, opts: { port?: number; data?: string }) {
  const logger = createLogger();
  const dataDir = opts.data ?? DEMO_DATA_DIR;
  const demo = await startDemo({ port: opts.port ?? 8080, dataDir, logger });
  const link = `${demo.url.replace('127.0.0.1', 'localhost')}/?token=${demo.token}`;
  io.err(
    [
      '',
      '  Medic demo: a shop service with faults that Medic detects, diagnoses, fixes and verifies by itself.',
      `  Open ${link}`,
      `  (or sign in at ${demo.url.replace('127.0.0.1', 'localhost')} with the token ${demo.token})`,
      `  The shop runs at ${demo.shopUrl}; the config Medic runs is in ${path.resolve(demoConfigFile(dataDir))}.`,
      `  In another terminal here, "npx medic dashboard${dataDir === DEMO_DATA_DIR ? '' : ` -c ${demoConfigFile(dataDir)}`}" shows the command center (incidents, report and the other read commands too).`,
      '  Put a medic.yaml in this folder (see examples/) to run your own. Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  stopOnSignals({ logger }, demo.stop);
}
