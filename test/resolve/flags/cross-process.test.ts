import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/index.js';
import { FlagService, type Evaluation } from '../../../src/resolve/flags/index.js';
import { Store } from '../../../src/store/index.js';
import { incidentContext } from '../../helpers/incidents.js';
import { ENGINES, testDatabaseUrl } from '../../helpers/stores.js';

/**
 * Several Medic processes on one database, each with its own store (its own pool or SQLite handle) and
 * its own flag service: on PostgreSQL, API servers behind a load balancer; on SQLite, `medic flags
 * disable` from the CLI next to a running server. A change made through one is served by the others
 * within a second, while their evaluations never read the database.
 */

const FLAGS = loadConfigText(`flags:\n  - { key: new_checkout_flow, rollout: 25%, rules: [{ when: 'plan == "pro"' }] }\n  - { key: dark_mode }\n`, { env: {} }).config.flags;

describe.each(ENGINES)('flag changes across processes on %s', (engine) => {
  let url: string;
  let drop: () => Promise<void>;
  const stores: Store[] = [];
  const services: FlagService[] = [];

  const process = async () => {
    const store = await Store.open({ url });
    stores.push(store);
    const flags = new FlagService({ incidents: incidentContext(store).ctx });
    services.push(flags);
    return flags;
  };

  /** Milliseconds until `flags` answers what `done` wants (or the deadline passes). */
  const timeUntil = async (flags: FlagService, done: (e: Evaluation) => boolean, deadlineMs = 5000) => {
    const started = performance.now();
    while (!done(flags.evaluate('new_checkout_flow', { targetingKey: 'u1', plan: 'pro' }))) {
      if (performance.now() - started > deadlineMs) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    return performance.now() - started;
  };

  beforeEach(() => {
    ({ url, drop } = testDatabaseUrl(engine));
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
    for (const s of stores.splice(0)) await s.close();
    await drop();
  });

  it('serves a change made through one process in every other within a second', async () => {
    const a = await process();
    await a.syncConfig(FLAGS);
    const [b, c] = [await process(), await process()];
    await b.syncConfig(FLAGS);
    await c.syncConfig(FLAGS);
    for (const s of [a, b, c]) s.start();
    expect(b.evaluate('new_checkout_flow', { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });

    await a.change({ key: 'new_checkout_flow', enabled: false, actor: 'alice', reason: 'kill switch', source: 'cli' });
    // The process that made the change serves it at once.
    expect(a.evaluate('new_checkout_flow', { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: false, reason: 'DISABLED' });
    const off = (e: Evaluation) => e.ok && e.reason === 'DISABLED';
    const [tb, tc] = await Promise.all([timeUntil(b, off), timeUntil(c, off)]);
    expect(tb).toBeLessThan(1000);
    expect(tc).toBeLessThan(1000);

    // And back, from another process.
    await c.change({ key: 'new_checkout_flow', enabled: true, rollout: 0.5, actor: 'bob', reason: 'fixed', source: 'api' });
    expect(await timeUntil(a, (e) => e.ok && e.reason === 'TARGETING_MATCH')).toBeLessThan(1000);
    expect(a.state('new_checkout_flow')).toMatchObject({ enabled: true, rollout: 0.5, metadata: { version: 3 } });
  });

  // Concurrent starts are a PostgreSQL deployment's question (several API processes). Two SQLite
  // handles in one test process cannot run transactions at once (better-sqlite3 blocks the thread the
  // other needs), and separate SQLite processes simply take turns, as the first test shows.
  if (engine === 'postgres')
  it('applies the config once when processes start together', async () => {
    const [a, b] = [await process(), await process()];
    await Promise.all([a.syncConfig(FLAGS), b.syncConfig(FLAGS)]);
    const rows = await stores[0]!.db.selectFrom('flag_changes').select(['flag_key']).execute();
    expect(rows.map((r) => r.flag_key).sort()).toEqual(['dark_mode', 'new_checkout_flow']);
    expect(b.evaluateAll({ targetingKey: 'u1' }).map((e) => e.key)).toEqual(['dark_mode', 'new_checkout_flow']);
  });

  it('sees a flag that another process removed from its config', async () => {
    const [a, b] = [await process(), await process()];
    await a.syncConfig(FLAGS);
    await b.syncConfig(FLAGS);
    b.start();
    await a.syncConfig(FLAGS.filter((f) => f.key !== 'new_checkout_flow'));
    expect(await timeUntil(b, (e) => !e.ok && e.errorCode === 'FLAG_NOT_FOUND')).toBeLessThan(1000);
  });
});
