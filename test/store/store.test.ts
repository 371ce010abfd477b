import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Store, toJson, type Database } from '../../src/store/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

/** One row per table, with every column set, to prove each round-trips with the same values on both engines. */
const SAMPLE: { [T in keyof Database]: Record<string, unknown> } = {
  api_tokens: { name: 'ci', role: 'admin', token_hash: 'h1', source: 'cli', created_at: NOW, last_used_at: NOW + 1 },
  monitors: {
    name: 'login', service: 'auth', type: 'http', config_hash: 'abc', config: toJson({ url: 'http://x' }), enabled: 1, status: 'up',
    last_run_at: NOW, heartbeat_token: 'hb-token', last_ping_at: NOW, incident_id: 7, created_at: NOW, updated_at: NOW,
  },
  monitor_schedule: {
    monitor_id: 1, location: 'eu-west', next_run_at: NOW + 10_000, lease_owner: 'w1', lease_until: NOW + 5000, lease_token: 'c0ffee', status: 'down',
    consecutive_failures: 2, consecutive_successes: 0, failing_since: NOW - 5000, last_run_at: NOW, last_error: 'timeout',
  },
  check_rollups: { monitor_id: 1, hour: NOW, runs: 360, up: 350, degraded: 5, duration_ms_sum: 1234.5 },
  check_results: {
    monitor_id: 1, started_at: NOW, duration_ms: 12.5, status: 'down', error: 'timeout', timings: toJson({ total_ms: 12.5 }),
    details: toJson([{ name: 'status', pass: false }]), trace_id: '0af7651916cd43dd8448eb211c80319c', location: 'eu-west',
  },
  incidents: {
    fingerprint: 'fp1', title: 'Payment errors', service: 'payment', severity: 'P1', labels: toJson({ a: 'b' }), status: 'open',
    source: 'alert', alert_name: 'PaymentErrorRate', parent_id: null, cause: 'bad deploy', started_at: NOW - 60_000, detected_at: NOW,
    acknowledged_at: NOW + 1, diagnosed_at: NOW + 2, resolved_at: NOW + 3, verified_at: NOW + 4, closed_at: NOW + 4, detect_ms: 60_000,
    diagnose_ms: 2, resolve_ms: 1, verify_ms: 1, mttr_ms: 60_004, reopen_count: 1, external_id: 'PD-1', created_at: NOW, updated_at: NOW,
  },
  incident_events: { incident_id: 1, at: NOW, actor: 'system', type: 'opened', payload: toJson({ x: 1 }), created_at: NOW },
  alerts: {
    incident_id: 1, fingerprint: '45eb7d755efe749d', source: 'alertmanager', name: 'PaymentErrorRate', service: 'payment', severity: 'P1',
    status: 'firing', labels: toJson({ alertname: 'PaymentErrorRate' }), annotations: toJson({ summary: 's' }), starts_at: NOW - 1000,
    ends_at: null, received_at: NOW, generator_url: 'http://prom/graph', group_key: '{}:{}', silence_id: null,
  },
  deployments: { service: 'payment', version: 'v2.4.1', commit_sha: 'abc123', url: 'http://ci/1', actor: 'ci', rollback: 0, deployed_at: NOW, metadata: '{}' },
  remediation_attempts: {
    incident_id: 1, rule_name: 'restart', attempt: 1, action_type: 'webhook', status: 'succeeded', dry_run: 0, requested_at: NOW,
    started_at: NOW, finished_at: NOW + 10, decided_by: 'alice', output: 'ok', error: null, job_id: 3, alert_name: 'PodCrashLooping',
    fingerprint: 'fp1', expires_at: NOW + 900_000, duration_ms: 12.5, details: toJson({ statusCode: 200 }),
  },
  flags: { key: 'new_checkout_flow', definition: toJson({ type: 'boolean' }), enabled: 1, rollout: 0.25, config_hash: 'h', updated_by_source: 'config', version: 3, updated_at: NOW },
  flag_changes: { flag_key: 'new_checkout_flow', at: NOW, actor: 'remediation', reason: 'errors', incident_id: 1, before: '{}', after: '{}' },
  silences: { matchers: toJson({ service: 'payment' }), starts_at: NOW, ends_at: NOW + 3_600_000, comment: 'maintenance', created_by: 'alice', source: 'api', created_at: NOW },
  jobs: {
    kind: 'notify', incident_id: 1, payload: toJson({ channel: 'x' }), status: 'pending', run_at: NOW, attempts: 0, max_attempts: 5,
    lease_owner: null, lease_until: null, lease_token: null, idempotency_key: 'k1', last_error: null, created_at: NOW, updated_at: NOW, finished_at: null,
  },
  alert_states: { fingerprint: '45eb7d755efe749d', incident_id: 1, status: 'firing', starts_at: NOW - 1000, updated_at: NOW },
  notification_attempts: {
    job_id: 1, incident_id: 1, channel: '#ops', event: 'opened', attempt: 2, at: NOW, outcome: 'retryable', status: 503, reason: 'unavailable', idempotency_key: '1-2-abc',
  },
  medic_secrets: { name: 'ack_link', value: 'c2VjcmV0', created_at: NOW },
  ack_links_used: { link: '1.7', incident_id: 1, used_at: NOW, used_by: 'alice' },
};

describe.each(ENGINES)('store on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
  });
  afterAll(async () => t?.cleanup());

  it('reports its engine', () => {
    expect(t.store.engine).toBe(engine);
  });

  for (const table of Object.keys(SAMPLE) as (keyof Database)[]) {
    it(`inserts and reads back every column of ${table}`, async () => {
      const values = SAMPLE[table];
      await t.store.db.insertInto(table).values(values as never).execute();
      const row = (await t.store.db.selectFrom(table).selectAll().executeTakeFirstOrThrow()) as Record<string, unknown>;
      for (const [key, value] of Object.entries(values)) expect(row[key], `${table}.${key}`).toStrictEqual(value);
      if ('id' in row) expect(typeof row.id).toBe('number');
    });
  }

  it('runs migrations a second time as a no-op', async () => {
    expect(await t.store.migrate()).toEqual([]);
    const again = await Store.open({ url: t.url });
    try {
      expect(await again.migrate()).toEqual([]);
      expect(await again.db.selectFrom('incidents').select('fingerprint').execute()).toEqual([{ fingerprint: 'fp1' }]);
    } finally {
      await again.close();
    }
  });

  it('keeps the incident timeline append-only in the database', async () => {
    await expect(t.store.db.updateTable('incident_events').set({ type: 'edited' }).execute()).rejects.toThrow(/append-only/);
    await expect(t.store.db.deleteFrom('incident_events').execute()).rejects.toThrow(/append-only/);
  });

  it('allows one incident that is not closed per fingerprint', async () => {
    const base = { ...SAMPLE.incidents, external_id: null } as never;
    await expect(t.store.db.insertInto('incidents').values({ ...(base as object), status: 'acknowledged' } as never).execute()).rejects.toSatisfy(
      (err: unknown) => t.store.dialect.isUniqueViolation(err),
    );
    await t.store.db.updateTable('incidents').set({ status: 'closed' }).where('fingerprint', '=', 'fp1').execute();
    await t.store.db.insertInto('incidents').values({ ...(base as object), status: 'open' } as never).execute();
    const count = await t.store.db.selectFrom('incidents').select(sql<number>`count(*)`.as('n')).where('fingerprint', '=', 'fp1').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  it('answers a health ping', async () => {
    await expect(t.store.ping()).resolves.toBeUndefined();
  });
});
