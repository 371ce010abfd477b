import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { runStep } from '../../src/diagnose/steps/index.js';
import { gone } from '../helpers/processes.js';
import { context, INCIDENT, step } from './helpers.js';

const SECRET_ENV = 'MEDIC_TEST_PARENT_SECRET';

describe('run step', () => {
  afterEach(() => {
    delete process.env[SECRET_ENV];
  });

  it('passes with the command output and exit code 0', async () => {
    const out = await runStep(step({ run: 'echo "service=$MEDIC_SERVICE alert=$MEDIC_ALERT_NAME severity=$MEDIC_SEVERITY id=$MEDIC_INCIDENT_ID"' }), context());
    expect(out).toMatchObject({
      ok: true,
      exitCode: 0,
      output: 'service=payment-service alert=payment_error_rate severity=P1 id=42\n',
      truncated: false,
    });
    expect(out.error).toBeUndefined();
    expect(out.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with the exit code and keeps the output', async () => {
    const out = await runStep(step({ run: 'echo looking; exit 3' }), context());
    expect(out).toMatchObject({ ok: false, exitCode: 3, output: 'looking\n', error: 'exited with code 3' });
  });

  it('captures stdout and stderr interleaved in order', async () => {
    const out = await runStep(step({ run: 'echo one; echo two >&2; echo three; echo four >&2' }), context());
    expect(out.output).toBe('one\ntwo\nthree\nfour\n');
  });

  it('runs in the configured working directory with step env on top of the MEDIC_* variables', async () => {
    const ctx = context();
    const out = await runStep(step({ run: 'pwd; echo "$GREETING $MEDIC_LABEL_NAMESPACE"', env: { GREETING: 'hello' } }), ctx);
    expect(out.output).toBe(`${ctx.cwd}\nhello payments\n`);
  });

  it('does not pass on the rest of Medic’s environment', async () => {
    process.env[SECRET_ENV] = 'do-not-leak-me';
    const out = await runStep(step({ run: 'env' }), context());
    expect(out.ok).toBe(true);
    expect(out.output).not.toContain('do-not-leak-me');
    expect(out.output).toContain('MEDIC_SERVICE=payment-service');
  });

  it('on timeout kills the whole process tree, sleep 100 grandchild included', async () => {
    const ctx = context();
    const pidFile = path.join(ctx.cwd, 'sleep.pid');
    // The grandchild holds the output pipe, so the step cannot end until it is gone.
    const out = await runStep(step({ run: `sleep 100 & echo $! > ${pidFile}; echo started; wait`, timeout: '500ms' }), ctx);
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/^timed out after 500ms/);
    expect(out.output).toBe('started\n');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('on timeout SIGKILLs a tree that ignores SIGTERM', async () => {
    const ctx = context();
    const pidFile = path.join(ctx.cwd, 'stubborn.pid');
    const out = await runStep(step({ run: `trap '' TERM; sleep 100 & echo $! > ${pidFile}; wait`, timeout: '300ms' }), ctx);
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/timed out/);
    expect(out.exitCode).toBeUndefined();
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('stops the process tree when the run is cancelled', async () => {
    const controller = new AbortController();
    const ctx = context({ signal: controller.signal });
    const pidFile = path.join(ctx.cwd, 'sleep.pid');
    const pending = runStep(step({ run: `sleep 100 & echo $! > ${pidFile}; echo started; wait`, timeout: '60s' }), ctx);
    // Cancel once the command is known to be running.
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const out = await pending;
    expect(out).toMatchObject({ ok: false, error: 'cancelled; the process group was stopped' });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('caps output at max_output and says how much was cut', async () => {
    const out = await runStep(step({ run: "head -c 100000 /dev/zero | tr '\\0' a", max_output: 1000 }), context());
    expect(out.ok).toBe(true);
    expect(out.truncated).toBe(true);
    expect(out.output).toBe(`${'a'.repeat(1000)}\n[… 99000 bytes cut]`);
  });

  it('does not split a multi-byte character at the cut', async () => {
    const out = await runStep(step({ run: 'for i in 1 2 3 4 5 6 7 8 9 10; do printf "é"; done', max_output: 5 }), context());
    expect(out.output).toBe('éé\n[… 16 bytes cut]');
  });

  it('redacts secrets from the output, also when they straddle the cut', async () => {
    const secret = 's3cr3t-token-value';
    const redactor = new Redactor([secret]);
    const out = await runStep(step({ run: 'echo "token=$TOKEN"; echo "again $TOKEN"', env: { TOKEN: secret } }), context({ redactor }));
    expect(out.output).toBe('token=[REDACTED]\nagain [REDACTED]\n');

    const cut = await runStep(step({ run: 'printf "xx$TOKEN"', env: { TOKEN: secret }, max_output: 8 }), context({ redactor }));
    expect(cut.output).not.toContain('s3cr');
    expect(cut.output).toMatch(/^xx\[REDAC\n\[… \d+ bytes cut\]$/);
  });

  it('reports a command that cannot be found as a failure with the shell’s message', async () => {
    const out = await runStep(step({ run: 'no-such-command-medic' }), context());
    expect(out.ok).toBe(false);
    expect(out.exitCode).toBe(127);
    expect(out.output).toMatch(/no-such-command-medic: (command )?not found/);
  });
});

describe('alert data cannot inject commands', () => {
  const attacks = ['$(touch {m})', '`touch {m}`', '; touch {m}', '"; touch {m}; echo "', "'; touch {m}; echo '", '&& touch {m}', '| touch {m}', '\ntouch {m}\n'];

  it.each(attacks)('label value %j reaches the command as $MEDIC_LABEL_X and runs nothing', async (template) => {
    const ctx = context();
    const marker = path.join(ctx.cwd, 'pwned');
    const value = template.replaceAll('{m}', marker);
    const incident = { ...INCIDENT, labels: { x: value }, service: value, alertName: value };
    const env = context({ incident }).env;
    // Both the quoted and the unquoted use: expansion results are never parsed as commands.
    const out = await runStep(step({ run: 'printf "%s|" "$MEDIC_LABEL_X" "$MEDIC_SERVICE" "$MEDIC_ALERT_NAME"; echo $MEDIC_LABEL_X' }), { ...ctx, env });
    expect(out.ok).toBe(true);
    expect(out.output.startsWith(`${value}|${value}|${value}|`)).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });
});
