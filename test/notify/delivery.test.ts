import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { getTimeline, ingestAlerts } from '../../src/incidents/index.js';
import { openRuntime } from '../../src/runtime/bootstrap.js';
import { buildCore, type Core } from '../../src/runtime/core.js';
import { JobRunner } from '../../src/runtime/job-runner.js';
import { silentLogger } from '../../src/shared/logger.js';
import { alert } from '../helpers/incidents.js';
import { ENGINES, testDatabaseUrl } from '../helpers/stores.js';
import { startSink, type Sink } from './sink.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitFor(cond: () => Promise<boolean> | boolean, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ENGINES)('durable notification delivery on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(yaml: string) {
    const { url, drop } = testDatabaseUrl(engine);
    const loaded = loadConfigText(`${yaml}\nstorage: { url: "${url}" }\n`, { env: { HOOK_SECRET: 'hmac-secret-123' } });
    const rt = await openRuntime(loaded, { logger: silentLogger, applyConfig: true });
    const core: Core = await buildCore(rt);
    const runner = new JobRunner({ store: rt.store, queue: core.queue, handlers: core.handlers, clock: rt.clock, logger: silentLogger, leaseMs: 2000, concurrency: 4, pollMs: 20 });
    runner.start();
    cleanups.push(async () => {
      await runner.stop(500);
      await rt.store.close();
      await drop();
    });
    return { rt, core, runner };
  }

  it('retries while the receiver is down and delivers exactly once when it comes back', async () => {
    const port = await freePort();
    const { rt, core } = await setup(`
notifications:
  - { name: ops, type: webhook, url: "http://127.0.0.1:${port}/hook", secret: "\${HOOK_SECRET}" }
routes:
  - { match: { service: payment }, notify: [ops] }
delivery: { max_attempts: 20, backoff: 100ms }
`);
    const [opened] = await ingestAlerts(core.incidents, [alert({ service: 'payment' })], 'test');
    // Let a few attempts fail against the closed port.
    await waitFor(async () => (await rt.store.db.selectFrom('notification_attempts').selectAll().execute()).length >= 2);
    const sink = await startSinkOn(port);
    cleanups.push(() => sink.close());
    await waitFor(async () => (await getTimeline(rt.store.db, opened!.incidentId!)).some((e) => e.type === 'notification_sent'));
    await new Promise((r) => setTimeout(r, 400)); // nothing more should arrive
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.headers['x-medic-event']).toBe('opened');
    const attempts = await rt.store.db.selectFrom('notification_attempts').selectAll().orderBy('id').execute();
    expect(attempts.slice(0, -1).every((a) => a.outcome === 'retryable')).toBe(true);
    expect(attempts.at(-1)).toMatchObject({ outcome: 'ok', status: 200, channel: 'ops', event: 'opened' });
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    const sent = (await getTimeline(rt.store.db, opened!.incidentId!)).filter((e) => e.type === 'notification_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload).toMatchObject({ channel: 'ops', event: 'opened', attempts: attempts.length });
    // The secret signs the body but appears in nothing Medic stored.
    const dump = JSON.stringify([attempts, await getTimeline(rt.store.db, opened!.incidentId!), await rt.store.db.selectFrom('jobs').selectAll().execute()]);
    expect(dump).not.toContain('hmac-secret-123');
  });

  it('gives up on a permanent failure and says so on the timeline', async () => {
    const sink = await startSink((_r, res) => res.writeHead(404).end('no such hook'));
    cleanups.push(() => sink.close());
    const { rt, core } = await setup(`
notifications:
  - { name: ops, type: webhook, url: "${sink.url}/hook" }
routes:
  - { notify: [ops] }
delivery: { backoff: 50ms }
`);
    const [opened] = await ingestAlerts(core.incidents, [alert()], 'test');
    await waitFor(async () => (await getTimeline(rt.store.db, opened!.incidentId!)).some((e) => e.type === 'notification_failed'));
    expect(sink.received).toHaveLength(1);
    const failed = (await getTimeline(rt.store.db, opened!.incidentId!)).find((e) => e.type === 'notification_failed')!;
    expect(failed.payload).toMatchObject({ channel: 'ops', status: 404 });
  });

  it('sends each event to the channels its route and origin name, once each', async () => {
    const a = await startSink();
    const b = await startSink();
    cleanups.push(() => a.close(), () => b.close());
    const { rt, core } = await setup(`
notifications:
  - { name: a, type: webhook, url: "${a.url}/a" }
  - { name: b, type: webhook, url: "${b.url}/b", events: [opened] }
routes:
  - { match: { severity: P1 }, notify: [a, b] }
`);
    const [p1] = await ingestAlerts(core.incidents, [alert({ severity: 'P1', service: 'x', notify: ['a'] })], 'test');
    await ingestAlerts(core.incidents, [alert({ severity: 'P4', service: 'y' })], 'test');
    await ingestAlerts(core.incidents, [alert({ severity: 'P1', service: 'x', status: 'resolved' })], 'test');
    // The service has nothing to watch, so its resolution is verified at once: opened, resolved, verified.
    const sent = async () => (await getTimeline(rt.store.db, p1!.incidentId!)).filter((e) => e.type === 'notification_sent');
    // A delivery is recorded after its receiver answered: wait for the records, then for anything extra.
    await waitFor(async () => a.received.length >= 3 && b.received.length >= 1 && (await sent()).length >= 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.received.map((r) => r.headers['x-medic-event'])).toEqual(['opened', 'resolved', 'verified']);
    expect(b.received.map((r) => r.headers['x-medic-event'])).toEqual(['opened']);
    expect(await sent()).toHaveLength(4);
  });
});

async function startSinkOn(port: number): Promise<Sink> {
  // startSink listens on a free port; here the port is the one the channel already points at.
  const { createServer: createHttp } = await import('node:http');
  const received: Sink['received'] = [];
  const server = createHttp((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, json: JSON.parse(raw.toString() || 'null') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    respond: () => {},
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
