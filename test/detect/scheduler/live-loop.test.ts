import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/index.js';
import { getIncident, getTimeline, type Incident } from '../../../src/incidents/index.js';
import { startAllInOne, type RunningServer } from '../../../src/runtime/all-in-one.js';
import { openRuntime } from '../../../src/runtime/bootstrap.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { testDatabaseUrl } from '../../helpers/stores.js';
import { startTargetService, type TargetService } from '../../helpers/target-service.js';

/**
 * The whole product in one process on the real clock: the scheduler sees the target's fault, opens the
 * incident within seconds of the run that confirms it, the runbook and the remediation (a webhook to the
 * target's own /restart) run by themselves, the monitor's recovery resolves, and verification closes it.
 */
describe('detect → diagnose → resolve → verify, live', () => {
  let target: TargetService;
  let running: RunningServer;
  let drop: () => Promise<void>;
  afterAll(async () => {
    await running?.stop();
    await target?.stop();
    await drop?.();
  });

  it('closes a real outage with no human, within seconds', async () => {
    target = await startTargetService({ startFaulty: false });
    const db = testDatabaseUrl('sqlite');
    drop = db.drop;
    const loaded = loadConfigText(`
storage: { url: "${db.url}" }
services:
  - name: shop
    verification: { window: 30s, interval: 1s }
monitors:
  - { name: shop health, service: shop, type: http, url: "${target.url}/health", interval: 1s, retry_interval: 1s, timeout: 2s, failure_threshold: 2, severity: P1 }
runbooks:
  - name: shop diagnostics
    match: { service: shop }
    steps:
      - { name: Health, http: "${target.url}/health" }
remediation:
  - alert: shop health
    cause: the worker pool is wedged; a restart clears it
    action: { type: webhook, url: "${target.url}/restart", max_auto_attempts: 2, cooldown: 5s }
`);
    const rt = await openRuntime(loaded, { logger: silentLogger, applyConfig: true });
    running = await startAllInOne(rt, { port: 0, host: '127.0.0.1' });

    // Healthy first: runs happen, nothing opens.
    await until(async () => (await rt.store.db.selectFrom('check_results').select('id').execute()).length >= 2, 10_000);
    expect(await rt.store.db.selectFrom('incidents').select('id').execute()).toHaveLength(0);

    const faultAt = Date.now();
    await fetch(`${target.url}/fault`, { method: 'POST' });
    const incident = await until(async () => {
      const row = await rt.store.db.selectFrom('incidents').select('id').executeTakeFirst();
      const i = row ? await getIncident(rt.store.db, Number(row.id)) : undefined;
      return i?.status === 'closed' ? i : undefined;
    }, 30_000);

    const i = incident as Incident;
    // Detected within seconds: two failing runs one second apart, plus at most one interval.
    expect(i.detectedAt! - faultAt).toBeLessThan(5_000);
    expect(i.startedAt!).toBeGreaterThanOrEqual(faultAt - 100);
    expect(i.startedAt!).toBeLessThan(i.detectedAt!);
    expect(i.detectedAt!).toBeLessThanOrEqual(i.diagnosedAt!);
    expect(i.diagnosedAt!).toBeLessThanOrEqual(i.resolvedAt!);
    expect(i.resolvedAt!).toBeLessThanOrEqual(i.verifiedAt!);
    expect(i.cause).toBe('the worker pool is wedged; a restart clears it');
    expect((await target.stats()).restarts).toBe(1);
    const types = (await getTimeline(rt.store.db, i.id)).map((e) => e.type);
    for (const t of ['opened', 'alert_fired', 'runbook_finished', 'remediation_finished', 'check_recovered', 'verified']) expect(types).toContain(t);
    // One incident for the outage.
    expect(await rt.store.db.selectFrom('incidents').select('id').execute()).toHaveLength(1);
  }, 60_000);
});

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
