import type { FlagConfig } from '../../config/schema/flags.js';
import type { IncidentContext } from '../../incidents/index.js';
import type { Logger } from '../../shared/logger.js';
import type { FlagSwitch } from '../actions/action.js';
import { changeFlag, type FlagChangeRequest, type FlagChangeResult } from './change.js';
import type { Evaluation } from './evaluate.js';
import { flagDetails, listFlags, type FlagDetails, type FlagSummary } from './queries.js';
import type { FlagChange } from './records.js';
import { FlagSnapshot } from './snapshot.js';
import type { FlagState } from './state.js';
import { syncConfigFlags } from './sync.js';
import { FlagWatcher, latestFlagChange } from './watch.js';

/**
 * Medic's feature flags: the live state in the database, a copy in memory that OFREP evaluates from,
 * and the one way to change a flag (changeFlag), whoever asks: the API, the CLI, a remediation action
 * (this is the FlagSwitch they are given) or the config sync at start.
 *
 * The copy in memory is replaced after every change made through this process, and, for changes made
 * by other processes, when the watcher sees a newer change id (see watch.ts). Evaluation itself never
 * waits for the database, and goes on serving the last known state when the database is away.
 */

export interface FlagServiceOptions {
  incidents: IncidentContext;
  logger?: Logger;
  /** How often to look for changes made by other processes (default 500 ms). */
  pollIntervalMs?: number;
}

/** A change as the API and the CLI ask for it: the live state only. */
export type FlagUpdate = Omit<FlagChangeRequest, 'definition'>;

export class FlagService implements FlagSwitch {
  private snapshot = FlagSnapshot.EMPTY;
  private seenChange = -1;
  private readonly watcher: FlagWatcher;
  // Reloads run one at a time; a reload asked for while one runs is queued once (see refresh).
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(private readonly options: FlagServiceOptions) {
    const { logger } = options;
    this.watcher = new FlagWatcher({
      db: options.incidents.store.db,
      intervalMs: options.pollIntervalMs ?? 500,
      seen: () => this.seenChange,
      reload: () => this.refresh(),
      onError: (err) => logger?.warn({ err }, 'cannot check for flag changes; serving the flags last loaded'),
      onRecovered: () => logger?.info('checking for flag changes again'),
    });
  }

  /** Brings the database in line with medic.yaml (see sync.ts), then loads the flags into memory. */
  async syncConfig(flags: readonly FlagConfig[]): Promise<FlagChange[]> {
    const { incidents } = this.options;
    const changes = await incidents.store.transaction((trx) => syncConfigFlags(trx, incidents, flags));
    await this.refresh();
    return changes;
  }

  /** Starts watching for changes made by other processes. */
  start(): void {
    this.watcher.start();
  }

  async stop(): Promise<void> {
    await this.watcher.stop();
  }

  /**
   * Reloads the flags from the database. Resolves once a load that started after this call has
   * finished, so a caller that just committed a change is then served it.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.load();
    });
    this.queued = next;
    this.running = next.catch(() => {});
    return next;
  }

  private async load(): Promise<void> {
    const { db } = this.options.incidents.store;
    // The change id first: a change committed between the two reads is loaded now and seen again by
    // the next poll (one reload too many), never the other way round.
    const seen = await latestFlagChange(db);
    const rows = await db.selectFrom('flags').selectAll().execute();
    this.snapshot = this.snapshot.next(rows);
    this.seenChange = seen;
  }

  // --- evaluation: memory only -------------------------------------------------------------------

  evaluate(key: string, context: unknown): Evaluation {
    return this.snapshot.evaluate(key, context);
  }

  /** Every flag, in key order (OFREP's bulk evaluation). */
  evaluateAll(context: unknown): Evaluation[] {
    return this.snapshot.evaluateAll(context);
  }

  has(key: string): boolean {
    return this.snapshot.has(key);
  }

  /** The state a flag is evaluated from in this process right now. */
  state(key: string): FlagState | undefined {
    return this.snapshot.state(key);
  }

  // --- reading and changing: the database -------------------------------------------------------

  list(): Promise<FlagSummary[]> {
    return listFlags(this.options.incidents.store.db);
  }

  get(key: string, options: { changes?: number } = {}): Promise<FlagDetails | undefined> {
    return flagDetails(this.options.incidents.store.db, key, options);
  }

  /** Changes a flag's live state through changeFlag, then serves the new state. */
  async change(update: FlagUpdate): Promise<FlagChangeResult> {
    const { incidents } = this.options;
    const result = await incidents.store.transaction((trx) => changeFlag(trx, incidents, update));
    // The change is committed: a failed reload must not report it as failed. The watcher retries.
    if (result.changed) await this.refresh().catch((err) => this.options.logger?.warn({ err }, 'flag changed, but reloading the flags failed; retrying'));
    return result;
  }

  /** FlagSwitch: what the disable_flag and enable_flag remediation actions call. */
  async setEnabled(key: string, enabled: boolean, change: { actor: string; reason: string; incidentId: number; notify?: readonly string[] }): Promise<{ changed: boolean }> {
    const { changed } = await this.change({ key, enabled, source: 'remediation', ...change });
    return { changed };
  }
}
