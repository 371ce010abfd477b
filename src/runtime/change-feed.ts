import { sql } from 'kysely';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';

/**
 * Tells live dashboards that something changed. It watches the database rather than this process's
 * memory, so an API process sees what workers wrote; it polls only while someone listens, with one
 * cheap aggregate per table per second for all listeners together.
 */
export interface ChangeFeed {
  subscribe(listener: (kind: string) => void): () => void;
  stop(): void;
}

/** What to watch: a name and a query returning a number that grows when the table changes. */
const PROBES: { kind: string; table: string; column: string }[] = [
  { kind: 'incidents', table: 'incident_events', column: 'id' },
  { kind: 'checks', table: 'check_results', column: 'id' },
  { kind: 'flags', table: 'flag_changes', column: 'id' },
  { kind: 'deployments', table: 'deployments', column: 'id' },
];

export function createChangeFeed(store: Store, logger: Logger, intervalMs = 1000): ChangeFeed {
  const listeners = new Set<(kind: string) => void>();
  const last = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  const poll = async () => {
    try {
      for (const p of PROBES) {
        const row = await sql<{ v: number | string | null }>`SELECT max(${sql.ref(p.column)}) AS v FROM ${sql.table(p.table)}`.execute(store.db);
        const v = Number(row.rows[0]?.v ?? 0);
        const before = last.get(p.kind);
        last.set(p.kind, v);
        if (before !== undefined && v !== before) for (const l of listeners) l(p.kind);
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
