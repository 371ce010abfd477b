import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCondition, type MonitorConfig } from '../../../src/config/index.js';
import { applyDegraded } from '../../../src/detect/checks/degraded.js';
import { runCheck, type CheckOutcome } from '../../../src/detect/checks/index.js';
import { retryDelay } from '../../../src/detect/checks/retry.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { checkContext, parseMonitor } from '../../helpers/monitors.js';

let target: HttpTarget;
let flakyFailures = 0;

beforeAll(async () => {
  target = await startHttpTarget({
    '/ok': (_req, res) => json(res, 200, { status: 'ok' }),
    '/error': (_req, res) => json(res, 500, { error: 'boom' }),
    // Fails while flakyFailures > 0, then recovers.
    '/flaky': (_req, res) => (flakyFailures-- > 0 ? json(res, 503, {}) : json(res, 200, {})),
    // Accepts the request and closes the connection without an answer: a network error.
    '/drop': (req) => req.socket.destroy(),
  });
});

afterAll(() => target.close());

const retry = (policy: Record<string, unknown>) => ({ retry: { delay: '10ms', ...policy } });

describe('retry', () => {
  it('computes fixed, linear and exponential delays, capped at max_delay', () => {
    const policy = (strategy: 'fixed' | 'linear' | 'exponential') => ({ strategy, delay: 100, max_delay: 500 });
    expect([1, 2, 3, 4].map((n) => retryDelay(policy('fixed'), n))).toEqual([100, 100, 100, 100]);
    expect([1, 2, 3, 4, 6].map((n) => retryDelay(policy('linear'), n))).toEqual([100, 200, 300, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy('exponential'), n))).toEqual([100, 200, 400, 500, 500]);
  });

  for (const strategy of ['fixed', 'linear', 'exponential'] as const) {
    it(`retries a failing run count times (${strategy})`, async () => {
      const before = target.seen('/error').length;
      const outcome = await runCheck(parseMonitor('http', { url: target.url('/error'), ...retry({ strategy, count: 2 }) }), checkContext());
      expect(outcome.status).toBe('down');
      expect(outcome.attempts).toBe(3);
      expect(target.seen('/error').length - before).toBe(3);
    });
  }

  it('stops retrying as soon as an attempt passes', async () => {
    flakyFailures = 2;
    const before = target.seen('/flaky').length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/flaky'), ...retry({ count: 5 }) }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.attempts).toBe(3);
    expect(target.seen('/flaky').length - before).toBe(3);
  });

  it('does not retry without a policy', async () => {
    const before = target.seen('/error').length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/error') }), checkContext());
    expect(outcome.attempts).toBe(1);
    expect(target.seen('/error').length - before).toBe(1);
  });

  it('with only_network_errors, does not retry a bad answer', async () => {
    const before = target.seen('/error').length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/error'), ...retry({ count: 3, only_network_errors: true }) }), checkContext());
    expect(outcome.attempts).toBe(1);
    expect(target.seen('/error').length - before).toBe(1);
  });

  it('with only_network_errors, retries when no answer came', async () => {
    const before = target.seen('/drop').length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/drop'), ...retry({ count: 2, only_network_errors: true }) }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(true);
    expect(outcome.attempts).toBe(3);
    expect(target.seen('/drop').length - before).toBe(3);
  });

  it('stops waiting for the next attempt when the run is aborted', async () => {
    const controller = new AbortController();
    const before = target.seen('/error').length;
    // A minute between attempts: if the sleep ignored the signal, this test would time out.
    const running = runCheck(parseMonitor('http', { url: target.url('/error'), retry: { count: 3, delay: '60s' } }), checkContext({ signal: controller.signal }));
    // Abort once the first attempt reached the server, i.e. during or after it, never before it.
    while (target.seen('/error').length === before) await sleep(5);
    controller.abort();
    const outcome = await running;
    expect(outcome.attempts).toBe(1);
    expect(target.seen('/error').length - before).toBe(1);
  });

  it('many runs waiting to retry on one shared signal all stop when it aborts, without a listener-leak warning', async () => {
    // The scheduler hands its one shutdown signal to every check it runs.
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const before = target.seen('/error').length;
      const monitor = parseMonitor('http', { url: target.url('/error'), retry: { count: 3, delay: '60s' } });
      const runs = Array.from({ length: 30 }, () => runCheck(monitor, checkContext({ signal: controller.signal })));
      while (target.seen('/error').length - before < 30) await sleep(5);
      controller.abort();
      const outcomes = await Promise.all(runs);
      expect(outcomes.map((o) => o.attempts)).toEqual(Array(30).fill(1));
      await sleep(10); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('degraded_if', () => {
  it('marks a passing run degraded when a condition holds', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok'), degraded_if: ['status_code == 200', 'total_ms > 600000'] }), checkContext());
    expect(outcome.status).toBe('degraded');
    expect(outcome.degradedBy).toEqual(['status_code == 200']);
  });

  it('leaves a run up when no condition holds', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok'), degraded_if: 'total_ms > 10m' }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.degradedBy).toBeUndefined();
  });

  it('never turns a down run into a degraded one, and degraded runs are not retried', async () => {
    const down = await runCheck(parseMonitor('http', { url: target.url('/error'), degraded_if: 'total_ms >= 0' }), checkContext());
    expect(down.status).toBe('down');
    const before = target.seen('/ok').length;
    const degraded = await runCheck(parseMonitor('http', { url: target.url('/ok'), degraded_if: 'total_ms >= 0', ...retry({ count: 3 }) }), checkContext());
    expect(degraded.status).toBe('degraded');
    expect(target.seen('/ok').length - before).toBe(1);
  });

  it('reads any measurement, e.g. a certificate’s days_remaining', () => {
    const up: CheckOutcome = { status: 'up', networkError: false, timings: { total_ms: 5 }, assertions: [], measurements: { total_ms: 5, days_remaining: 12 }, attempts: 1 };
    expect(applyDegraded(up, [parseCondition('days_remaining < 30')])).toMatchObject({ status: 'degraded', degradedBy: ['days_remaining < 30'] });
    expect(applyDegraded(up, [parseCondition('days_remaining < 7')]).status).toBe('up');
    expect(applyDegraded(up, undefined)).toBe(up);
  });
});

describe('runCheck', () => {
  it('turns an unexpected error inside a check type into a down outcome', async () => {
    // A port the schema would reject makes node:net throw synchronously inside the tcp check.
    const broken = { ...parseMonitor('tcp', { host: '127.0.0.1', port: 1 }), port: 70_000 };
    const outcome = await runCheck(broken, checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toMatch(/^internal error in the tcp check: .*70000/);
  });

  it('answers an unknown type with a down outcome', async () => {
    const outcome = await runCheck({ ...parseMonitor('tcp', { host: '127.0.0.1', port: 1 }), type: 'smtp' } as unknown as MonitorConfig, checkContext());
    expect(outcome).toMatchObject({ status: 'down', error: 'unknown monitor type "smtp"' });
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = target.requests.length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext({ signal: controller.signal }));
    expect(outcome).toMatchObject({ status: 'down', error: 'check aborted before it started' });
    expect(target.requests.length).toBe(before);
  });
});
