import { describe, expect, it } from 'vitest';
import { formatOutcome, type CheckOutcome } from '../../../src/detect/checks/index.js';
import { formatTimings } from '../../../src/detect/checks/format.js';

const httpOutcome: CheckOutcome = {
  status: 'down',
  error: 'status: expected 200, got 503',
  networkError: false,
  timings: { dns_ms: 1.2, connect_ms: 0.4, tls_ms: 3.1, first_byte_ms: 12.5, total_ms: 13 },
  assertions: [
    { name: 'status', pass: false, expected: '200', actual: '503' },
    { name: 'header content-type', pass: true, expected: '"application/json"', actual: '"application/json"' },
  ],
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  measurements: { total_ms: 13, status_code: 503 },
  info: { url: 'https://api.example.com/health' },
  attempts: 3,
};

describe('formatOutcome', () => {
  it('prints the verdict, timings, trace and every assertion with ✓/✗', () => {
    expect(formatOutcome({ name: 'API health', type: 'http' }, httpOutcome)).toBe(
      [
        '✗ DOWN API health (http) — status: expected 200, got 503',
        '  dns 1.2 ms · connect 0.4 ms · tls 3.1 ms · first byte 12.5 ms · total 13 ms · 3 attempts',
        '  trace 4bf92f3577b34da6a3ce929d0e0e4736',
        '  url: https://api.example.com/health',
        '  ✗ status: expected 200, got 503',
        '  ✓ header content-type: expected "application/json", got "application/json"',
      ].join('\n'),
    );
  });

  it('names the conditions that made a run degraded', () => {
    const text = formatOutcome({ name: 'API', type: 'http' }, { ...httpOutcome, status: 'degraded', error: undefined, degradedBy: ['total_ms > 10'], assertions: [] });
    expect(text.split('\n').slice(0, 2)).toEqual(['! DEGRADED API (http)', '  degraded: total_ms > 10']);
  });

  it('colors for a terminal only when asked', () => {
    expect(formatOutcome({ name: 'API', type: 'http' }, httpOutcome, { color: true })).toContain('\u001b[31m✗ DOWN\u001b[0m');
    expect(formatOutcome({ name: 'API', type: 'http' }, httpOutcome)).not.toContain('\u001b[');
  });

  it('leaves out phases that did not happen', () => {
    expect(formatTimings({ connect_ms: 0.3, total_ms: 0.5 })).toBe('connect 0.3 ms · total 0.5 ms');
  });
});
