import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { buildIncidentEnv } from '../../src/diagnose/steps/env.js';
import { describeAction, executeAction } from '../../src/resolve/actions/index.js';
import { gone } from '../helpers/processes.js';
import { action, actionContext, INCIDENT, services, tempDir } from './helpers.js';

function writeScript(dir: string, rel: string, body: string, mode = 0o755): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
  chmodSync(file, mode);
  return file;
}

const ECHO_ARGS = `#!/bin/sh
printf 'argc=%s\\n' "$#"
for a in "$@"; do printf 'arg=[%s]\\n' "$a"; done
printf 'service=%s label=%s extra=%s pwd=%s\\n' "$MEDIC_SERVICE" "$MEDIC_LABEL_NAMESPACE" "$EXTRA" "$(pwd)"
echo oops >&2
`;

describe('script action', () => {
  it('runs the file relative to the config folder, with its args as given and env only', async () => {
    const ctx = actionContext();
    writeScript(ctx.baseDir, 'scripts/flush-cache-safely.sh', ECHO_ARGS);
    const out = await executeAction(
      action({ type: 'script', script: 'scripts/flush-cache-safely.sh', args: ['--safe', 'two words', '$(id)', '*'], env: { EXTRA: 'yes' } }),
      ctx,
    );
    expect(out.ok).toBe(true);
    expect(out.output).toBe(
      ['argc=4', 'arg=[--safe]', 'arg=[two words]', 'arg=[$(id)]', 'arg=[*]', `service=payment-service label=payments extra=yes pwd=${ctx.baseDir}`, 'oops', ''].join('\n'),
    );
    expect(out.details).toEqual({ exitCode: 0 });
  });

  it('fails with the exit code', async () => {
    const ctx = actionContext();
    writeScript(ctx.baseDir, 'fail.sh', '#!/bin/sh\necho cache busy\nexit 4\n');
    const out = await executeAction(action({ type: 'script', script: 'fail.sh' }), ctx);
    expect(out).toMatchObject({ ok: false, output: 'cache busy\n', error: 'exited with code 4', details: { exitCode: 4 } });
  });

  it('says when the script is missing or not executable', async () => {
    const ctx = actionContext();
    const missing = await executeAction(action({ type: 'script', script: 'scripts/nope.sh' }), ctx);
    expect(missing).toMatchObject({ ok: false, error: `${path.join(ctx.baseDir, 'scripts/nope.sh')}: not found` });

    writeScript(ctx.baseDir, 'plain.sh', '#!/bin/sh\necho hi\n', 0o644);
    const plain = await executeAction(action({ type: 'script', script: 'plain.sh' }), ctx);
    expect(plain.ok).toBe(false);
    expect(plain.error).toMatch(/plain\.sh: permission denied \(is it executable\?/);
  });

  it('is stopped, child tree included, at the action timeout', async () => {
    const ctx = actionContext({ timeoutMs: 1000 });
    const pidFile = path.join(ctx.baseDir, 'child.pid');
    writeScript(ctx.baseDir, 'hang.sh', `#!/bin/sh\nsleep 100 &\necho $! > ${pidFile}\necho working\nwait\n`);
    const out = await executeAction(action({ type: 'script', script: 'hang.sh' }), ctx);
    expect(out).toMatchObject({ ok: false, error: 'timed out after 1s', output: 'working\n' });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });
});

describe('run action', () => {
  it('runs a shell command with the MEDIC_* variables and extra env', async () => {
    const out = await executeAction(action({ type: 'run', command: 'echo "$MEDIC_ALERT_NAME on $MEDIC_SERVICE ($MEDIC_SEVERITY) $MODE"', env: { MODE: 'safe' } }), actionContext());
    expect(out).toMatchObject({ ok: true, output: 'payment-service-pod-crashlooping on payment-service (P1) safe\n' });
  });

  it('kills a sleep 100 tree at the timeout', async () => {
    const ctx = actionContext({ timeoutMs: 1000 });
    const pidFile = path.join(ctx.baseDir, 'sleep.pid');
    const out = await executeAction(action({ type: 'run', command: `sleep 100 & echo $! > ${pidFile}; wait` }), ctx);
    expect(out).toMatchObject({ ok: false, error: 'timed out after 1s' });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('redacts secrets from output and errors', async () => {
    const secret = 'db-password-9f8e7d';
    const out = await executeAction(
      action({ type: 'run', command: `echo "connecting with $PW"; echo "${secret}" >&2; exit 2`, env: { PW: secret } }),
      actionContext({ redactor: new Redactor([secret]) }),
    );
    expect(out.output).toBe('connecting with [REDACTED]\n[REDACTED]\n');
    expect(out.output).not.toContain(secret);
    expect(out.error).toBe('exited with code 2');
  });

  it('stops when the attempt is cancelled', async () => {
    const controller = new AbortController();
    const ctx = actionContext({ signal: controller.signal, timeoutMs: 60_000 });
    const pending = executeAction(action({ type: 'run', command: 'sleep 100' }), ctx);
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ ok: false, error: 'cancelled' });
  });
});

describe('alert data cannot inject commands into actions', () => {
  const nasty = (marker: string) => ({
    ...INCIDENT,
    service: `payment; touch ${marker}`,
    alertName: `$(touch ${marker})`,
    labels: { x: `\`touch ${marker}\``, pod: `"; touch ${marker}; echo "` },
  });

  it('run and rollback commands see the values as variables and run nothing else', async () => {
    const dir = tempDir();
    const marker = path.join(dir, 'pwned');
    const incident = nasty(marker);
    const ctx = actionContext({
      incident,
      env: buildIncidentEnv(incident),
      baseDir: dir,
      services: services({ name: incident.service, rollback: 'printf "%s|%s|%s|%s" "$MEDIC_SERVICE" "$MEDIC_ALERT_NAME" "$MEDIC_LABEL_X" "$MEDIC_LABEL_POD"' }),
    });
    const expected = `${incident.service}|${incident.alertName}|${incident.labels.x}|${incident.labels.pod}`;

    const run = await executeAction(action({ type: 'run', command: 'printf "%s|%s|%s|%s" "$MEDIC_SERVICE" "$MEDIC_ALERT_NAME" "$MEDIC_LABEL_X" "$MEDIC_LABEL_POD"; echo; echo $MEDIC_LABEL_X $MEDIC_SERVICE' }), ctx);
    expect(run.ok).toBe(true);
    expect(run.output.split('\n')[0]).toBe(expected);

    const rollback = await executeAction(action({ type: 'rollback' }), ctx);
    expect(rollback).toMatchObject({ ok: true, output: expected });

    writeScript(dir, 'show.sh', '#!/bin/sh\nprintf "%s|%s" "$MEDIC_SERVICE" "$MEDIC_LABEL_X"\n');
    const script = await executeAction(action({ type: 'script', script: 'show.sh' }), ctx);
    expect(script).toMatchObject({ ok: true, output: `${incident.service}|${incident.labels.x}` });

    expect(existsSync(marker)).toBe(false);
  });
});

describe('rollback action', () => {
  const svc = services(
    { name: 'payment-service', rollback: 'echo "rolling back $MEDIC_SERVICE (incident $MEDIC_INCIDENT_ID)"' },
    { name: 'search', rollback: 'echo search rolled back; exit 1' },
    { name: 'legacy' },
  );

  it('runs the incident service’s rollback command', async () => {
    const out = await executeAction(action({ type: 'rollback' }), actionContext({ services: svc }));
    expect(out).toMatchObject({ ok: true, output: 'rolling back payment-service (incident 42)\n', details: { exitCode: 0, service: 'payment-service' } });
  });

  it('runs the named service’s command when the action names one, and fails with it', async () => {
    const out = await executeAction(action({ type: 'rollback', service: 'search' }), actionContext({ services: svc }));
    expect(out).toMatchObject({ ok: false, output: 'search rolled back\n', error: 'exited with code 1', details: { service: 'search' } });
  });

  it('fails clearly when the service has no rollback command, or is unknown', async () => {
    const none = await executeAction(action({ type: 'rollback', service: 'legacy' }), actionContext({ services: svc }));
    expect(none).toMatchObject({ ok: false, output: '', error: 'service "legacy" has no rollback command (set services[].rollback in medic.yaml)' });
    const unknown = await executeAction(action({ type: 'rollback', service: 'ghost' }), actionContext({ services: svc }));
    expect(unknown).toMatchObject({ ok: false, error: 'cannot roll back "ghost": no such service in services:' });
    const noService = await executeAction(action({ type: 'rollback' }), actionContext({ services: svc, incident: { ...INCIDENT, service: null } }));
    expect(noService.error).toMatch(/^rollback needs a service/);
  });
});

describe('describeAction for process actions', () => {
  it('says what would run, secrets redacted', () => {
    const secret = 'hunter2-hunter2';
    const ctx = { ...actionContext(), redactor: new Redactor([secret]), services: services({ name: 'payment-service', rollback: `deploy --token ${secret} --previous` }) };
    expect(describeAction(action({ type: 'script', script: 'scripts/flush.sh', args: ['--safe'], env: { TOKEN: secret } }), ctx)).toBe(
      `run script ${path.join(ctx.baseDir, 'scripts/flush.sh')} with args ["--safe"] (extra env: TOKEN)`,
    );
    expect(describeAction(action({ type: 'run', command: `curl -H "X-Token: ${secret}" http://127.0.0.1/flush` }), ctx)).toBe(
      'run shell command: curl -H "X-Token: [REDACTED]" http://127.0.0.1/flush',
    );
    expect(describeAction(action({ type: 'rollback' }), ctx)).toBe('roll back payment-service: deploy --token [REDACTED] --previous');
    expect(describeAction(action({ type: 'rollback', service: 'legacy' }), ctx)).toBe('roll back legacy: no rollback command configured (would fail)');
  });
});
