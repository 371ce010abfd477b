import { afterEach, describe, expect, it } from 'vitest';
import { decide, listAttempts, remediationHandler, remediateJobPayload } from '../../src/resolve/index.js';
import type { Job } from '../../src/store/index.js';
import { openHarness, type AutomationHarness } from '../helpers/automation.js';
import { alert } from '../helpers/incidents.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ENGINES } from '../helpers/stores.js';

/**
 * Workers racing on one incident: the same remediation job in the hands of several workers at once (a
 * lease that expired while its worker still ran it), each with its own database connections. Whatever
 * the interleaving, the attempts never exceed max_auto_attempts: the count is in the database and the
 * next number is allocated under the incident's row lock.
 */

const WORKERS = 4;

describe.each(ENGINES)('remediation workers racing on %s', (engine) => {
  const harnesses: AutomationHarness[] = [];
  let srv: RecordingServer;
  afterEach(async () => {
    for (const h of harnesses.splice(1).reverse()) await h.core.rt.store.close();
    await harnesses.pop()?.close();
    await srv?.close();
  });

  /** One harness owns the database; the others are more processes on it (on SQLite, the same one). */
  async function workers(config: string): Promise<AutomationHarness[]> {
    const first = await openHarness(engine, config);
    harnesses.push(first);
    for (let i = 1; i < WORKERS; i++) {
      harnesses.push(engine === 'postgres' ? await openHarness(engine, config, { url: first.url, clock: first.clock }) : first);
    }
    return harnesses;
  }

  it('never exceeds max_auto_attempts, however the workers interleave', async () => {
    srv = await startRecordingServer(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { status: 500, body: 'still broken' };
    });
    const config = `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", max_auto_attempts: 3, cooldown: 0s }\n`;
    const all = await workers(config);
    const id = await all[0]!.ingest([alert()]);
    const [job] = await all[0]!.core.queue.list(all[0]!.core.rt.store.db, { kind: 'resolve.remediate' });

    // Each worker keeps running the job until its handler says the chain is over (a deferral because
    // another worker holds the running attempt just means: try again).
    await Promise.all(
      all.map(async (h, w) => {
        const handler = remediationHandler(h.core.resolve);
        for (let round = 0; round < 500; round++) {
          const result = await handler(job as Job, { signal: new AbortController().signal, owner: `w${w}` });
          if (!result) return;
          await new Promise((r) => setTimeout(r, 2));
        }
        throw new Error(`worker ${w} never saw the chain end`);
      }),
    );

    const attempts = await listAttempts(all[0]!.core.rt.store.db, id);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'failed']]);
    expect(srv.requests).toHaveLength(3);
    const timeline = await all[0]!.timeline(id);
    expect(timeline.filter((e) => e.type === 'remediation_started')).toHaveLength(3);
    expect(timeline.filter((e) => e.type === 'remediation_finished')).toHaveLength(3);
    expect(timeline.filter((e) => e.type === 'escalated')).toHaveLength(1);
  });

  it('lets exactly one of many simultaneous deciders allocate an attempt', async () => {
    srv = await startRecordingServer();
    const all = await workers(`remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", max_auto_attempts: 1 }\n`);
    const id = await all[0]!.ingest([alert()]);
    const [job] = await all[0]!.core.queue.list(all[0]!.core.rt.store.db, { kind: 'resolve.remediate' });
    const decisions = await Promise.all(all.flatMap((h) => [0, 1].map(() => decide(h.core.resolve, remediateJobPayload.parse(job!.payload), job!.id))));
    expect(decisions.filter((d) => d.kind === 'run')).toHaveLength(1);
    expect(decisions.filter((d) => d.kind === 'defer')).toHaveLength(decisions.length - 1);
    expect(await listAttempts(all[0]!.core.rt.store.db, id)).toHaveLength(1);
  });
});
