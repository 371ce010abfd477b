import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile, type LoadedConfig } from '../../config/index.js';
import { startAllInOne, stopOnSignals } from '../../runtime/all-in-one.js';
import { startApi } from '../../runtime/api-role.js';
import { openRuntime } from '../../runtime/bootstrap.js';
import { startDemo } from '../../runtime/demo/demo.js';
import { DEMO_DATA_DIR, demoConfigFile } from '../../runtime/demo/paths.js';
import { startWorker } from '../../runtime/worker-role.js';
import { createLogger } from '../../shared/logger.js';
import { DEFAULT_CONFIG } from '../config-path.js';
import { EXIT, reportConfigError, UsageError, type Output } from '../output.js';

/**
 * `medic start [--role all|api|worker]` and `medic worker` (= `start --role worker`). `all`, the default,
 * is the all-in-one process; `api` serves the API, the UI and ingest; `worker` runs checks and
 * automation. Several processes share one PostgreSQL database (see README, "Running several workers").
 */

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

interface RoleOptions {
  config?: string;
  port?: string;
  data?: string;
  location?: string;
  concurrency?: string;
  metricsPort?: string;
}

export function startCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  const start = program
    .command('start')
    .description('run Medic: API, UI, checks and automation in one process (the demo when there is no medic.yaml); --role api|worker splits them')
    .option('-c, --config <file>', 'config file (default ./medic.yaml; without one, the demo runs)')
    .option('--role <role>', `what this process does: ${PROCESS_ROLES.join(', ')} (all: the API and the worker in one process)`, 'all')
    .option('--port <port>', 'listen on this port instead of server.port (roles all and api)')
    .option('--data <dir>', 'keep the SQLite database in this folder');
  workerOptions(start).action(async (opts: RoleOptions & { role: string }) => {
    if (!(PROCESS_ROLES as readonly string[]).includes(opts.role)) throw new UsageError(`--role must be one of ${PROCESS_ROLES.join(', ')}, got "${opts.role}"`);
    const file = opts.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
    if (!file) {
      if (opts.role !== 'all') throw new UsageError(`--role ${opts.role} needs a medic.yaml (-c file) with a PostgreSQL storage.url; without one, medic start runs the demo`);
      return runDemo(io, { port: optionalInt(opts.port, '--port', 0, 65535), data: opts.data }, setExit);
    }
    await runRole(io, setExit, file, opts.role as ProcessRole, opts);
  });

  workerOptions(
    program
      .command('worker')
      .description('run a worker: checks (from --location), runbooks, remediation, verification and notifications, with no API (needs PostgreSQL; same as start --role worker)')
      .option('-c, --config <file>', 'config file', DEFAULT_CONFIG),
  ).action(async (opts: RoleOptions & { config: string }) => runRole(io, setExit, opts.config, 'worker', opts));
}

function workerOptions(command: Command): Command {
  return command
    .option('--location <name>', 'where this process runs checks from (default workers.location; roles all and worker)')
    .option('--concurrency <n>', 'checks and jobs in flight at once (default workers.concurrency; roles all and worker)')
    .option('--metrics-port <port>', 'role worker: serve GET /healthz and GET /metrics on this port (off by default)');
}

function optionalInt(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

async function runRole(io: Output, setExit: (code: number) => void, file: string, role: ProcessRole, opts: RoleOptions): Promise<void> {
  const port = optionalInt(opts.port, '--port', 0, 65535);
  const concurrency = optionalInt(opts.concurrency, '--concurrency', 1, 10_000);
  const metricsPort = optionalInt(opts.metricsPort, '--metrics-port', 0, 65535);
  if (role !== 'worker' && metricsPort !== undefined) throw new UsageError(`--metrics-port is for workers (roles all and api serve /healthz and /metrics on their own port)`);
  if (role === 'api' && (opts.location !== undefined || concurrency !== undefined)) throw new UsageError('--location and --concurrency are for roles that run checks and jobs (all, worker)');
  if (role === 'worker' && port !== undefined) throw new UsageError('--port is for roles that serve the API (all, api); a worker takes --metrics-port');
  if (opts.location !== undefined && !/^[\w.:-]{1,64}$/.test(opts.location)) throw new UsageError(`--location must be 1 to 64 letters, digits, '.', ':', '_' or '-', got "${opts.location}"`);

  let loaded: LoadedConfig;
  try {
    loaded = loadConfigFile(path.resolve(file));
  } catch (err) {
    return setExit(reportConfigError(err, io));
  }
  if (opts.data) loaded.config.storage.url = `sqlite://${path.resolve(opts.data, 'medic.db')}`;
  if (role !== 'all' && !/^postgres(ql)?:/.test(loaded.config.storage.url)) {
    // Leases on SQLite assume one process; several processes on one file would contend for its lock.
    throw new UsageError(`--role ${role} needs PostgreSQL (storage.url: postgres://…): on SQLite, run one all-in-one process (medic start)`);
  }

  const rt = await openRuntime(loaded, { role, applyConfig: true, ...(opts.location !== undefined ? { location: opts.location } : {}) });
  const where = `config ${loaded.file}`;
  if (role === 'worker') {
    const running = await startWorker(rt, { concurrency, metricsPort });
    io.err(`Medic worker ${rt.identity.id} is running at location ${rt.identity.location} (${where}${running.metricsUrl ? `; health and metrics on ${running.metricsUrl}` : ''})`);
    stopOnSignals(rt, running.stop);
  } else {
    const running = role === 'api' ? await startApi(rt, { port }) : await startAllInOne(rt, { port, concurrency });
    io.err(`Medic${role === 'api' ? ' (API)' : ''} is running on ${running.url.replace('0.0.0.0', 'localhost')} (${where})`);
    stopOnSignals(rt, running.stop);
  }
  setExit(EXIT.ok);
}

async function runDemo(io: Output, opts: { port?: number; data?: string }, setExit: (code: number) => void) {
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
  setExit(EXIT.ok);
}
