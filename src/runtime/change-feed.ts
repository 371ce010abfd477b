import { sql } from 'kysely';
import { CHANGE_KINDS, type ChangeKind } from '../server/responses/session.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';

/**
 * Tells live dashboards that something changed. It watches the database rather than this process's
 * memory, so an API process sees what workers wrote; it polls only while someone listens, with one
 * cheap aggregate per table per second for all listeners together.
 */
export interface ChangeFeed {
  subscribe(listener: (kind: ChangeKind) => void): () => void;
  stop(): void;
}

/**
 * What to watch for each kind the stream tells (one per kind: the dashboard maps each kind to what it
 * refreshes): a column that grows when the table changes.
 */
const PROBES: Record<ChangeKind, { table: string; column: string }> = {
  incidents: { table: 'incident_events', column: 'id' },
  checks: { table: 'check_results', column: 'id' },
  flags: { table: 'flag_changes', column: 'id' },
  deployments: { table: 'deployments', column: 'id' },
};

export function createChangeFeed(store: Store, logger: Logger, intervalMs = 1000): ChangeFeed {
  const listeners = new Set<(kind: ChangeKind) => void>();
  const last = new Map<ChangeKind, number>();
  let timer: NodeJS.Timeout | undefined;

  const poll = async () => {
    try {
      for (const kind of CHANGE_KINDS) {
        const p = PROBES[kind];
        const row = await sql<{ v: number | string | null }>`SELECT max(${sql.ref(p.column)}) AS v FROM ${sql.table(p.table)}`.execute(store.db);
        const v = Number(row.rows[0]?.v ?? 0);
        const before = last.get(kind);
        last.set(kind, v);
        if (before !== undefined && v !== before) for (const l of listeners) l(kind);
      }
    } catch (err) {
      logger.debug({ err }, 'change feed poll failed');
    }
  };

  const start = () => {
    if (timer) return;
    void poll();
    timer = setInterval(() => void poll(), intervalMs);
    timer.unref();
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    last.clear();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    stop() {
      listeners.clear();
      stop();
    },
  };
}
