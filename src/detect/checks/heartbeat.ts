import type { HeartbeatMonitorConfig } from '../../config/index.js';
import { formatDuration } from '../../config/index.js';
import type { CheckOutcome, CheckType } from './check.js';

/**
 * `type: heartbeat` — the monitored job pings Medic (POST /api/heartbeat/:token); this check only
 * judges the time of the last ping, so it is pure: no network, and `ctx.now()` makes it testable
 * without waiting. Down when more than `interval + grace` passed since the last ping, or, if there
 * never was one, since the monitor was created (a new monitor gets one period to receive its first ping).
 */
export const heartbeatCheck: CheckType<HeartbeatMonitorConfig> = {
  type: 'heartbeat',
  async run(monitor, ctx) {
    return evaluateHeartbeat(monitor, ctx.now(), ctx.lastPingAt ?? null, ctx.monitorCreatedAt);
  },
};

export function evaluateHeartbeat(monitor: Pick<HeartbeatMonitorConfig, 'interval' | 'grace'>, now: number, lastPingAt: number | null, createdAt: number | undefined): CheckOutcome {
  const allowed = monitor.interval + monitor.grace;
  const expected = `a ping within ${formatDuration(allowed)} (interval ${formatDuration(monitor.interval)} + grace ${formatDuration(monitor.grace)})`;
  const base = { networkError: false, timings: { total_ms: 0 }, attempts: 1 } as const;
  const reference = lastPingAt ?? createdAt;
  if (reference === undefined) {
    return { ...base, status: 'down', error: 'no ping received, and the monitor’s creation time is unknown', assertions: [{ name: 'heartbeat', pass: false, expected, actual: 'never pinged' }], measurements: { total_ms: 0 } };
  }
  const age = Math.max(0, now - reference);
  const pass = age <= allowed;
  const actual = lastPingAt !== null ? `last ping ${formatDuration(age)} ago` : `never pinged (monitor created ${formatDuration(age)} ago)`;
  const outcome: CheckOutcome = {
    ...base,
    status: pass ? 'up' : 'down',
    assertions: [{ name: 'heartbeat', pass, expected, actual }],
    measurements: { total_ms: 0, since_last_ping_ms: age },
  };
  if (!pass) outcome.error = lastPingAt !== null ? `no ping for ${formatDuration(age)} (expected one within ${formatDuration(allowed)})` : `no ping since the monitor was created ${formatDuration(age)} ago (expected one within ${formatDuration(allowed)})`;
  if (lastPingAt !== null) outcome.info = { last_ping_at: new Date(lastPingAt).toISOString() };
  return outcome;
}
