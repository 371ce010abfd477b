import { describe, expect, it } from 'vitest';
import { Redactor, type RunbookStep } from '../../src/config/index.js';
import { runStep, STEP_RUNNERS } from '../../src/diagnose/steps/index.js';
import { context } from './helpers.js';

describe('step registry', () => {
  it('has a runner for every step kind of the config schema', () => {
    expect(Object.keys(STEP_RUNNERS).sort()).toEqual(['http', 'kubernetes', 'loki', 'prometheus', 'run', 'statuspage', 'tcp']);
    for (const [kind, runner] of Object.entries(STEP_RUNNERS)) expect(runner.kind).toBe(kind);
  });

  it('never throws: an unknown kind or a runner failure becomes a failed, redacted step', async () => {
    const bogus = { kind: 'ssh', name: 'x', timeout: 1000, max_output: 100 } as unknown as RunbookStep;
    const out = await runStep(bogus, context());
    expect(out).toMatchObject({ ok: false, output: '', truncated: false });
    expect(out.error).toMatch(/unknown runbook step kind "ssh"/);

    const redactor = new Redactor(['super-secret-url-part']);
    const broken = { kind: 'http', name: 'x', http: 'not a url super-secret-url-part', method: 'GET', headers: {}, timeout: 1000, max_output: 100, verify_tls: true } as RunbookStep;
    const failed = await runStep(broken, context({ redactor }));
    expect(failed.ok).toBe(false);
    expect(failed.error).not.toContain('super-secret-url-part');
  });
});
