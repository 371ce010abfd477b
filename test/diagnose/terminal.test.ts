import { describe, expect, it } from 'vitest';
import { renderCommandCenter, type CommandCenter } from '../../src/diagnose/index.js';

const T = Date.UTC(2026, 10, 27, 12, 4, 31);
const MIN = 60_000;

/** A command center as the API answers it: a P1 after a deployment, a monitor down, a flag switched off. */
function data(overrides: Partial<CommandCenter> = {}): CommandCenter {
  return {
    generatedAt: T,
    window: { ms: 5 * MIN, start: T - 5 * MIN, end: T, previousStart: T - 10 * MIN },
    tiles: {
      errorRate: { value: 0.024, previous: 0.005, source: 'prometheus', basis: '3 services' },
      latencyP95Ms: { value: 812, previous: 456, source: 'prometheus', basis: 'slowest: payment' },
      throughputPerMinute: { value: 1200, previous: 1260, source: 'prometheus', basis: '3 services' },
    },
    services: {
      total: 3,
      items: [
        { service: 'payment', errorRate: { value: 0.081, previous: 0.01 }, source: 'prometheus', runs: null, failed: null },
        { service: 'search', errorRate: { value: 0.009, previous: 0.009 }, source: 'prometheus', runs: null, failed: null },
        { service: 'auth', errorRate: { value: 0, previous: 0 }, source: 'checks', runs: 10, failed: 0 },
      ],
    },
    deployments: [{ id: 7, service: 'payment', version: 'v2.3.1', commit: null, url: null, actor: 'ci', rollback: false, deployedAt: T - 2 * MIN - 31_000, justBefore: [42] }],
    flagChanges: [{ id: 3, key: 'new_checkout_flow', at: T - MIN, actor: 'ana', reason: 'checkout 500s', incidentId: 42, enabled: false, rollout: 1 }],
    incidents: {
      total: 1,
      items: [
        {
          id: 42,
          title: 'PaymentErrors',
          service: 'payment',
          severity: 'P1',
          status: 'open',
          startedAt: T - 3 * MIN,
          detectedAt: T - 2 * MIN,
          acknowledgedAt: null,
          deploymentBefore: { deploymentId: 7, service: 'payment', version: 'v2.3.1', deployedAt: T - 2 * MIN - 31_000, minutesBefore: 0.5 },
        },
      ],
    },
    alerts: { total: 1, items: [{ fingerprint: 'f', name: 'PaymentErrors', service: 'payment', severity: 'P1', startsAt: T - 3 * MIN, incidentId: 42 }] },
    approvals: { total: 1, items: [{ attemptId: 17, incidentId: 42, rule: 'restart-payment', actionType: 'kubernetes_rollout_restart', requestedAt: T - MIN, expiresAt: T + 14 * MIN }] },
    monitors: {
      total: 10,
      counts: { up: 8, degraded: 0, down: 1, pending: 1, paused: 0 },
      unhealthy: { total: 1, items: [{ id: 1, name: 'Checkout API', service: 'payment', type: 'http', status: 'down', lastRunAt: T - 20_000, incidentId: 42, error: 'HTTP 500' }] },
    },
    prometheus: { configured: true, services: 3, sampledAt: T - 5000, errors: [] },
    ...overrides,
  };
}

const frame = (d: CommandCenter | undefined, o: Partial<Parameters<typeof renderCommandCenter>[1]> = {}) => renderCommandCenter(d, { width: 100, height: 40, now: T, ...o });

describe('the terminal command center', () => {
  it('draws the tiles with the change against the window before, as in the article’s sketch', () => {
    const lines = frame(data());
    expect(lines[0]).toBe('Medic command center · last 5m vs the 5m before');
    expect(lines.slice(1, 5)).toEqual([
      '┌ Error rate ──────────────────┐ ┌ P95 latency ─────────────────┐ ┌ Throughput ──────────────────┐',
      '│ 2.4% ▲1.9                    │ │ 812 ms ▲356                  │ │ 1.2k rpm ▼60                 │',
      '│ Prometheus · 3 services      │ │ Prometheus · slowest: payme… │ │ Prometheus · 3 services      │',
      '└──────────────────────────────┘ └──────────────────────────────┘ └──────────────────────────────┘',
    ]);
  });

  it('lists what is on fire and what changed, with the deployment before each incident', () => {
    const text = frame(data()).join('\n');
    expect(text).toContain('Active incidents (1)\n  P1 #42 PaymentErrors payment open 3m after payment v2.3.1 (0.5 min before)');
    expect(text).toContain('Waiting for approval (1)\n  restart-payment kubernetes_rollout_restart for #42 · 1m · expires in 14m · medic approve 17');
    expect(text).toMatch(/Error rate by service \(3\)\n {2}payment █{70,} 8\.1%\n {2}search {2}█{9} 0\.9%\n {2}auth {4}0\.0%/);
    expect(text).toContain('Firing alerts (1)\n  P1 PaymentErrors payment 3m');
    expect(text).toContain('Monitors 8 up · 0 degraded · 1 down · 1 pending or paused\n  down     Checkout API payment 20s · HTTP 500');
    expect(text).toContain('Recent deployments\n  payment v2.3.1 12:02 by ci just before #42');
    expect(text).toContain('Flag changes\n  new_checkout_flow off 12:03 by ana — checkout 500s');
    expect(frame(data()).at(-1)).toBe('q quit · updated 12:04:31');
  });

  it('fills exactly the screen, cutting long lists with "… N more" and long lines with "…"', () => {
    const many = data({
      incidents: { total: 30, items: Array.from({ length: 20 }, (_, i) => ({ ...data().incidents.items[0]!, id: 100 + i, title: `Incident ${i} ${'x'.repeat(200)}` })) },
    });
    for (const [width, height] of [[100, 40], [60, 24], [30, 12]] as const) {
      const lines = frame(many, { width, height });
      expect(lines).toHaveLength(height);
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(width);
    }
    const text = frame(many, { width: 100, height: 24 }).join('\n');
    expect(text).toMatch(/Active incidents \(30\)\n( {2}P1 #1\d\d Incident .*…\n)+ {2}… \d+ more/);
    // Every section keeps at least its title on a short screen.
    for (const title of ['Active incidents', 'Waiting for approval', 'Error rate by service', 'Firing alerts', 'Monitors', 'Recent deployments', 'Flag changes']) expect(text).toContain(title);
  });

  it('shows one tile a line on a narrow screen, and says when there is nothing', () => {
    const empty = data({
      services: { total: 0, items: [] },
      incidents: { total: 0, items: [] },
      alerts: { total: 0, items: [] },
      approvals: { total: 0, items: [] },
      deployments: [],
      flagChanges: [],
    });
    const lines = frame(empty, { width: 40, height: 20 });
    expect(lines.slice(1, 4)).toEqual(['Error rate 2.4% ▲1.9', 'P95 latency 812 ms ▲356', 'Throughput 1.2k rpm ▼60']);
    expect(lines).toContain('Active incidents (0)  none');
    expect(lines).toContain('Error rate by service (0)  no check run…');
  });

  it('colours with ANSI escapes only when asked, and keeps the last data when a refresh fails', () => {
    expect(frame(data()).join('')).not.toContain('\x1b[');
    const colored = frame(data(), { color: true });
    expect(colored[2]).toContain('\x1b[31m▲1.9\x1b[0m');
    const failed = frame(data(), { error: 'GET /api/command-center: connect ECONNREFUSED 127.0.0.1:8080' });
    expect(failed.at(-1)).toBe('! GET /api/command-center: connect ECONNREFUSED 127.0.0.1:8080');
    expect(failed[1]).toContain('Error rate');
    expect(frame(undefined, { source: 'http://127.0.0.1:8080', height: 5 })).toEqual(['Medic command center · http://127.0.0.1:8080', '', '', '', 'q quit · connecting…']);
  });
});
