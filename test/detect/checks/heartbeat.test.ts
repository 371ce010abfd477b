import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/detect/checks/index.js';
import { checkContext, parseMonitor } from '../../helpers/monitors.js';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const SECOND = 1000;

describe('heartbeat check', () => {
  // interval 60s + grace 30s: a ping is due within 90s of the previous one.
  const monitor = parseMonitor('heartbeat', { interval: 60, grace: '30s' });
  const at = (lastPingAt: number | null, monitorCreatedAt?: number) => checkContext({ now: () => NOW, lastPingAt, ...(monitorCreatedAt !== undefined ? { monitorCreatedAt } : {}) });

  it('is up when the last ping is within interval + grace', async () => {
    const outcome = await runCheck(monitor, at(NOW - 45 * SECOND, NOW - 3_600_000));
    expect(outcome.status).toBe('up');
    expect(outcome.measurements.since_last_ping_ms).toBe(45 * SECOND);
    expect(outcome.assertions).toEqual([{ name: 'heartbeat', pass: true, expected: 'a ping within 1m30s (interval 1m + grace 30s)', actual: 'last ping 45s ago' }]);
  });

  it('is still up exactly at the limit', async () => {
    expect((await runCheck(monitor, at(NOW - 90 * SECOND))).status).toBe('up');
  });

  it('is down when the ping is missing', async () => {
    const outcome = await runCheck(monitor, at(NOW - 150 * SECOND, NOW - 3_600_000));
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(false);
    expect(outcome.error).toBe('no ping for 2m30s (expected one within 1m30s)');
    expect(outcome.info?.last_ping_at).toBe(new Date(NOW - 150 * SECOND).toISOString());
  });

  it('gives a new monitor one period for its first ping', async () => {
    expect((await runCheck(monitor, at(null, NOW - 10 * SECOND))).status).toBe('up');
    const late = await runCheck(monitor, at(null, NOW - 5 * 60 * SECOND));
    expect(late.status).toBe('down');
    expect(late.error).toBe('no ping since the monitor was created 5m ago (expected one within 1m30s)');
    expect(late.assertions[0]!.actual).toBe('never pinged (monitor created 5m ago)');
  });

  it('is down when it was never pinged and its creation time is unknown', async () => {
    const outcome = await runCheck(monitor, at(null));
    expect(outcome.status).toBe('down');
    expect(outcome.error).toMatch(/^no ping received/);
  });
});
