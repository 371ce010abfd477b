import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startMonitoring, type Monitoring } from '../../../src/runtime/monitoring.js';
import { openHarness, type AutomationHarness } from '../../helpers/automation.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';

/**
 * Results are written in batches every flushMs, but a run's next turn cannot be claimed before its
 * result is written: a monitor due again within a claim's reach must not wait for the batch. Driven by
 * the scheduler's own timers, with its clock moved along in steps of a tick.
 */
describe('scheduler flush cadence', () => {
  let target: HttpTarget;
  let h: AutomationHarness;
  let m: Monitoring;
  afterAll(async () => {
    await m?.stop();
    await h?.close();
    await target?.close();
  });

  it('writes a result at once when its monitor is due again soon, and keeps the next run on time', async () => {
    target = await startHttpTarget({ '/health': (_req, res) => json(res, 200, { ok: true }) });
    h = await openHarness('sqlite', `monitors:\n  - { name: fast, type: http, url: "${target.url('/health')}", interval: 1s }\n`);
    // A flush every minute by the clock: only the early flush can write these results.
    m = await startMonitoring(h.core, { owner: 'w1', tickMs: 20, flushMs: 60_000, lookaheadMs: 100 });
    const runs = async () => (await h.core.rt.store.db.selectFrom('check_results').select('started_at').execute()).map((r) => Number(r.started_at));
    // Five seconds of the scheduler's clock, a tick at a time, in real time for the checks to answer.
    for (let i = 0; i < 300 && (await runs()).length < 4; i++) {
      h.clock.advance(20);
      await sleep(20);
    }
    const started = (await runs()).sort((a, b) => a - b);
    expect(started.length).toBeGreaterThanOrEqual(4);
    // Each run a second after the one before, give or take a few ticks — not held back by the batch.
    for (let i = 1; i < started.length; i++) expect(started[i]! - started[i - 1]!).toBeLessThan(1_000 + 200);
  }, 30_000);
});
