import { afterEach, describe, expect, it } from 'vitest';
import { RUNBOOK_JOB } from '../../src/diagnose/index.js';
import { NOTIFY_JOB } from '../../src/notify/reactor.js';
import { REMEDIATE_JOB } from '../../src/resolve/index.js';
import { VERIFY_JOB } from '../../src/verify/index.js';
import { openHarness, type AutomationHarness } from '../helpers/automation.js';
import { ENGINES } from '../helpers/stores.js';

/** A payload each job kind cannot run, and what the job's recorded reason must say about it. */
const BAD: { kind: string; payload: unknown; reason: RegExp }[] = [
  { kind: NOTIFY_JOB, payload: { incidentId: 1, eventId: 2, event: 'exploded', channel: 'pager', actor: 'system' }, reason: /^notify\.deliver job \d+ has a bad payload: event: Invalid option: expected one of/ },
  { kind: RUNBOOK_JOB, payload: { incidentId: '1', runbook: 'payment-diagnostics', run: 0 }, reason: /^diagnose\.runbook job \d+ has a bad payload: incidentId: Invalid input: expected number, received string$/ },
  { kind: REMEDIATE_JOB, payload: { incidentId: 1, rule: 'restart', alert: 'HighErrorRate', fingerprint: 'fp' }, reason: /^resolve\.remediate job \d+ has a bad payload: labels: Invalid input: expected record, received undefined$/ },
  { kind: VERIFY_JOB, payload: { incidentId: 1, fixEventId: null, since: 0, progress: { since: 0 } }, reason: /^verify\.service job \d+ has a bad payload: progress\.deadline: .*; progress\.healthySince: .*; progress\.evaluations: / },
];

describe.each(ENGINES)('job payloads on %s', (engine) => {
  let h: AutomationHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a job whose payload its kind cannot parse fails at once with the reason, is not retried, and the runner goes on', async () => {
    h = await openHarness(engine, '');
    const { db } = h.core.rt.store;
    const now = h.clock.now();
    const ids: number[] = [];
    for (const bad of BAD) ids.push((await h.core.queue.enqueue(db, { kind: bad.kind, payload: bad.payload, maxAttempts: 5 }, now))!);
    // A good payload (for an incident that does not exist: the handler drops it) still runs after them.
    const good = (await h.core.queue.enqueue(db, { kind: RUNBOOK_JOB, payload: { incidentId: 999, runbook: 'gone', run: 0 } }, now))!;

    await h.runDue();
    h.clock.advance(3_600_000);
    expect(await h.runDue()).toBe(0); // nothing comes back for another attempt

    for (const [i, bad] of BAD.entries()) {
      const job = (await h.core.queue.get(db, ids[i]!))!;
      expect({ kind: job.kind, status: job.status, attempts: job.attempts, leaseOwner: job.leaseOwner }).toEqual({ kind: bad.kind, status: 'failed', attempts: 1, leaseOwner: null });
      expect(job.lastError).toMatch(bad.reason);
    }
    expect((await h.core.queue.get(db, good))!).toMatchObject({ status: 'done', lastError: null });
  });
});
