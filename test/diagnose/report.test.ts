import { describe, expect, it } from 'vitest';
import { formatRunbookReport } from '../../src/diagnose/steps/report.js';

describe('runbook report', () => {
  it('reads like the article’s diagnostic report, steps in runbook order', () => {
    const text = formatRunbookReport({
      title: 'Payment Service Diagnostic Report',
      generatedAt: Date.UTC(2026, 0, 1, 14, 35, 0),
      context: ['Incident: #42 payment_error_rate (P1) · payment-service'],
      steps: [
        { name: 'Service health', kind: 'http', result: { ok: true, output: '{"status":"degraded"}', statusCode: 200, durationMs: 42.4, truncated: false } },
        {
          name: 'Recent errors',
          kind: 'run',
          result: { ok: false, output: 'ERROR db timeout\n', exitCode: 1, durationMs: 1234, error: 'exited with code 1', truncated: false },
        },
        { name: 'Pod logs', kind: 'run', result: { ok: false, output: '', durationMs: 30_000, error: 'timed out after 30s; the process group was stopped', truncated: false } },
        { name: 'Database', kind: 'tcp', result: { ok: false, output: 'cannot connect to db:5432: connection refused', durationMs: 3, error: 'cannot connect to db:5432: connection refused', truncated: false } },
        { name: 'Error rate', kind: 'prometheus', result: { ok: true, output: 'a\n[… 10 bytes cut]', durationMs: 65_000, truncated: true } },
      ],
    });
    expect(text).toBe(
      [
        '=== Payment Service Diagnostic Report ===',
        'Generated: 2026-01-01T14:35:00.000Z',
        'Incident: #42 payment_error_rate (P1) · payment-service',
        '',
        '--- Service health ---',
        '{"status":"degraded"}',
        '[ok · http · HTTP 200 · 42ms]',
        '',
        '--- Recent errors ---',
        'ERROR db timeout',
        '[failed · run · exit 1 · 1.2s]',
        '',
        '--- Pod logs ---',
        '(no output)',
        '[failed · run · 30.0s · timed out after 30s; the process group was stopped]',
        '',
        '--- Database ---',
        'cannot connect to db:5432: connection refused',
        '[failed · tcp · 3ms]',
        '',
        '--- Error rate ---',
        'a',
        '[… 10 bytes cut]',
        '[ok · prometheus · 1m5s · output cut]',
        '',
        '5 steps: 2 ok, 3 failed',
        '',
      ].join('\n'),
    );
  });
});
