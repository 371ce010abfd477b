import { loadConfigText } from '../../src/config/index.js';
import { getIncident, getTimeline, ingestAlerts, type IncidentEvent, type IncomingAlert } from '../../src/incidents/index.js';
import { openRuntime } from '../../src/runtime/bootstrap.js';
import { buildCore, type Core } from '../../src/runtime/core.js';
import { JobRunner } from '../../src/runtime/job-runner.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { toJson } from '../../src/store/index.js';
import { T0 } from './incidents.js';
import { testDatabaseUrl, type TestEngine } from './stores.js';

/**
 * The whole automation core (every reactor and job handler, as runtime/core.ts wires them) over a real
 * database, with a hand-driven clock. Jobs run when the test says so (`runDue`), through a real
 * JobRunner, so a test steps through detect → diagnose → resolve → verify one hop at a time.
 */
export interface AutomationHarness {
  core: Core;
  clock: ManualClock;
  url: string;
  /** Runs every job due now (and what they enqueue that is due now) until none is left. */
  runDue(options?: { kinds?: string[]; owner?: string }): Promise<number>;
  ingest(alerts: IncomingAlert[]): Promise<number>;
  timeline(incidentId: number): Promise<IncidentEvent[]>;
  types(incidentId: number): Promise<string[]>;
  /** Closes the database and opens it again with a fresh core: a process restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment for ${VAR} substitution in the config. */
  env?: NodeJS.ProcessEnv;
  /** Folder scripts and runbook commands run in. */
  baseDir?: string;
  /** Reuse a database (a second process on the same data). */
  url?: string;
  clock?: ManualClock;
}

export async function openHarness(engine: TestEngine, configYaml: string, options: HarnessOptions = {}): Promise<AutomationHarness> {
  const db = options.url ? { url: options.url, drop: async () => {} } : testDatabaseUrl(engine);
  const clock = options.clock ?? new ManualClock(T0);
  const open = async () => {
    const loaded = loadConfigText(`${configYaml}\nstorage: { url: "${db.url}" }\n`, { env: options.env ?? {}, ...(options.baseDir ? { baseDir: options.baseDir } : {}) });
    const rt = await openRuntime(loaded, { logger: silentLogger, clock, applyConfig: true });
    return buildCore(rt);
  };
  let core = await open();
  const h: AutomationHarness = {
    get core() {
      return core;
    },
    clock,
    url: db.url,
    runDue: (o = {}) => runDueJobs(core, clock, o),
    async ingest(alerts) {
      const [r] = await ingestAlerts(core.incidents, alerts, 'alertmanager');
      return r!.incidentId!;
    },
    timeline: (id) => getTimeline(core.rt.store.db, id),
    async types(id) {
      return (await getTimeline(core.rt.store.db, id)).map((e) => e.type);
    },
    async restart() {
      await core.rt.store.close();
      core = await open();
    },
    async close() {
      await core.rt.store.close();
      await db.drop();
    },
  };
  return h;
}

/**
 * A real JobRunner that claims only when the test calls `tick()`. A JobRunner pokes itself when a job
 * finishes (it looks for follow-up work at once), even one never started: that poll then claims
 * concurrently with the test's own `tick()`. If it wins (SKIP LOCKED hides the rows it holds), the test's
 * tick finds nothing and the loop below stops while those jobs run, and whatever they enqueue (the
 * `oncall.page` jobs of the `paged` events an escalation just wrote) is never run: the page is on the
 * timeline and never delivered. Under load that poll's claim sometimes locks the rows first (seen on
 * PostgreSQL). Without the self-poke, every claim is the test's.
 */
export class ManualJobRunner extends JobRunner {
  override poke(): void {}
}

/** Runs every job due now, through a real JobRunner, until none is left; returns how many ran. */
export async function runDueJobs(core: Core, clock: ManualClock, o: { kinds?: string[]; owner?: string } = {}): Promise<number> {
  const handlers = o.kinds ? Object.fromEntries(Object.entries(core.handlers).filter(([k]) => o.kinds!.includes(k))) : core.handlers;
  const runner = new ManualJobRunner({ store: core.rt.store, queue: core.queue, handlers, clock, logger: silentLogger, leaseMs: 60_000, concurrency: 8, pollMs: 3_600_000, owner: o.owner ?? 'test' });
  let total = 0;
  try {
    for (let i = 0; i < 200; i++) {
      const n = await runner.tick();
      await runner.idle();
      total += n;
      if (n === 0) break;
    }
  } finally {
    await runner.stop(30_000);
  }
  return total;
}

export async function incidentOf(h: AutomationHarness, id: number) {
  return (await getIncident(h.core.rt.store.db, id))!;
}

/** A monitor row for a service, as the scheduler would keep it. */
export async function insertMonitor(h: AutomationHarness, name: string, service: string): Promise<number> {
  const now = h.clock.now();
  const row = await h.core.rt.store.db
    .insertInto('monitors')
    .values({ name, service, type: 'http', config_hash: name, config: toJson({}), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A check result, as the scheduler would write it. */
export async function insertCheckResult(h: AutomationHarness, monitorId: number, status: 'up' | 'down' | 'degraded', at = h.clock.now(), error: string | null = null): Promise<void> {
  await h.core.rt.store.db.insertInto('check_results').values({ monitor_id: monitorId, started_at: at, duration_ms: 12, status, error, timings: '{}', details: '[]', trace_id: null }).execute();
}
