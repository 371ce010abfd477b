import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEvent, getTimeline } from '../../src/incidents/index.js';
import { Store } from '../../src/store/index.js';
import { apiClient, eventually, freePort, launch, READY, writeConfig, type MedicProcess } from '../helpers/cluster.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/**
 * The all-in-one process on SQLite, killed with kill -9 between two remediation attempts (during the
 * cooldown), then started again on the same database. The chain goes on where it was: the attempt count
 * continues (no attempt runs twice, none is skipped), the runbook and the notifications already done are
 * not done again, and the timeline reads as one story.
 */

const ATTEMPTS = 3;
const COOLDOWN_MS = 6000;

interface Event {
  id: number;
  at: number;
  type: string;
  payload: Record<string, unknown>;
}

describe('the all-in-one on SQLite, killed between two remediation attempts', () => {
  const procs: MedicProcess[] = [];
  let receiver: RecordingServer | undefined;
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill9()));
    await receiver?.close();
  });

  it('continues the attempt count after a restart, repeating nothing', async () => {
    // The fix never works: each attempt fails, the next one follows the cooldown.
    receiver = await startRecordingServer((req) => (req.url === '/fix' ? { status: 500, body: 'still broken' } : { status: 200, body: 'ok' }));
    const port = await freePort();
    const { dir, file } = writeConfig((folder) =>
      [
        `server: { port: ${port}, host: 127.0.0.1 }`,
        `storage: { url: "sqlite://${folder}/medic.db" }`,
        `runbooks:\n  - name: diagnostics\n    match: { service: cart }\n    steps:\n      - { name: Record the run, run: 'echo "$MEDIC_INCIDENT_ID" >> runbook-runs.txt' }`,
        // A cooldown long enough to kill the process in it.
        `remediation:\n  - alert: CartDown\n    action: { type: webhook, url: "${receiver!.url}/fix", max_auto_attempts: ${ATTEMPTS}, cooldown: ${COOLDOWN_MS}ms }`,
        `notifications:\n  - { name: hook, type: webhook, url: "${receiver!.url}/notify" }`,
        `routes:\n  - { notify: [hook] }`,
      ].join('\n'),
    );
    const first = await launch('medic-1', ['start', '-c', file], READY.all);
    procs.push(first);
    const client = apiClient(`http://127.0.0.1:${port}`);
    const posted = await client.post<{ results: Array<{ incidentId: number }> }>('/api/alerts/webhook', { name: 'CartDown', service: 'cart', severity: 'P1' });
    expect(posted.status).toBe(200);
    const id = posted.body.results[0]!.incidentId;
    const timeline = async () => (await client.get<{ timeline: Event[] }>(`/api/incidents/${id}`)).body.timeline;

    // Attempt 1 failed and its outcome is recorded; the job waits for the cooldown. Kill -9 now.
    await eventually('attempt 1 to finish', timeline, (t) => t.some((e) => e.type === 'remediation_finished'), 20_000, 50);
    await eventually('the notifications so far', async () => receiver!.requests.filter((r) => r.url === '/notify').length, (n) => n >= 2, 10_000, 50);
    await new Promise((r) => setTimeout(r, 300));
    await first.kill9();
    const before = await readTimelineFromDisk();
    expect(receiver.requests.filter((r) => r.url === '/fix')).toHaveLength(1);
    const notifiedBefore = receiver.requests.filter((r) => r.url === '/notify').length;

    // The same process, started again on the same database.
    const second = await launch('medic-2', ['start', '-c', file], READY.all);
    procs.push(second);
    const final = await eventually('the escalation', timeline, (t) => t.some((e) => e.type === 'escalated'), 45_000, 200);
    await eventually('the escalation notice', async () => receiver!.requests.filter((r) => r.url === '/notify').length, (n) => n >= final.filter((e) => ['opened', 'remediation_finished', 'escalated'].includes(e.type)).length, 10_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    const after = await timeline();
    const count = (type: string) => after.filter((e) => e.type === type).length;

    // The attempt count went on: 1 before the kill, 2 and 3 after; each ran once.
    expect(receiver.requests.filter((r) => r.url === '/fix')).toHaveLength(ATTEMPTS);
    const attempts = after.filter((e) => e.type === 'remediation_started').map((e) => e.payload.attempt);
    expect(attempts).toEqual([1, 2, 3]);
    expect(after.filter((e) => e.type === 'remediation_finished').map((e) => [e.payload.attempt, e.payload.ok])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(count('escalated')).toBe(1);
    expect(count('opened')).toBe(1);
    // The restarted process kept the cooldown it had not seen begin.
    const at = (type: string, attempt: number) => after.find((e) => e.type === type && e.payload.attempt === attempt)!.at;
    expect(at('remediation_started', 2) - at('remediation_finished', 1)).toBeGreaterThanOrEqual(COOLDOWN_MS);
    expect(at('remediation_started', 3) - at('remediation_finished', 2)).toBeGreaterThanOrEqual(COOLDOWN_MS);

    // Nothing done before the kill was done again.
    expect(readFileSync(path.join(dir, 'runbook-runs.txt'), 'utf8').trim().split('\n')).toEqual([String(id)]);
    expect(count('runbook_step_finished')).toBe(1);
    const deliveries = receiver.requests.filter((r) => r.url === '/notify');
    const keys = deliveries.map((d) => String(d.headers['x-medic-delivery']));
    expect(new Set(keys).size).toBe(keys.length);
    expect(deliveries.length).toBeGreaterThan(notifiedBefore);
    expect(count('notification_sent')).toBe(deliveries.length);

    // The timeline is one story: the events from before the kill are all there, unchanged, first; ids
    // and times only go forward; every start has its finish.
    expect(after.slice(0, before.length)).toEqual(before);
    for (let i = 1; i < after.length; i++) {
      expect(after[i]!.id).toBeGreaterThan(after[i - 1]!.id);
      expect(after[i]!.at).toBeGreaterThanOrEqual(after[i - 1]!.at);
    }
    const starts = after.filter((e) => e.type === 'remediation_started').map((e) => after.indexOf(e));
    const finishes = after.filter((e) => e.type === 'remediation_finished').map((e) => after.indexOf(e));
    starts.forEach((s, i) => expect(finishes[i]).toBeGreaterThan(s));
    expect(second.alive()).toBe(true);

    async function readTimelineFromDisk(): Promise<Event[]> {
      // The API went with the process: read the file itself, and say each event as the API does.
      const store = await Store.open({ url: `sqlite://${dir}/medic.db` });
      try {
        return (await getTimeline(store.db, id)).map((e) => ({ ...e, text: describeEvent(e) })) as unknown as Event[];
      } finally {
        await store.close();
      }
    }
  }, 60_000);
});
