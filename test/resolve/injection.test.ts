import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHarness, type AutomationHarness } from '../helpers/automation.js';
import { alert } from '../helpers/incidents.js';
import { ENGINES } from '../helpers/stores.js';
import { tempDir } from './helpers.js';

/**
 * Alert data is attacker-controlled (anyone who can send an alert chooses its labels). Through the whole
 * orchestration — an alert in, runbooks and remediation actions out — it must reach commands only as
 * environment variables and never run as shell text.
 */
describe.each(ENGINES)('shell injection through alert labels on %s', (engine) => {
  let h: AutomationHarness;
  afterEach(async () => h?.close());

  it('runs nothing an alert label says, in runbooks, run actions and scripts', async () => {
    const dir = tempDir('medic-inject-');
    const payloads = {
      pod: `$(touch ${dir}/pwned-subst)`,
      note: `\`touch ${dir}/pwned-backtick\`; touch ${dir}/pwned-semicolon`,
      quote: `"; touch ${dir}/pwned-quote; echo "`,
      [`x$(touch ${dir}/pwned-name)`]: 'label name',
    };
    const script = path.join(dir, 'fix.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "script saw: $MEDIC_LABEL_NOTE" > "${dir}/script-seen.txt"\n`);
    chmodSync(script, 0o755);
    h = await openHarness(
      engine,
      `
runbooks:
  - name: echo-labels
    match: { service: payment }
    steps:
      - { name: quoted, run: 'echo "pod=$MEDIC_LABEL_POD note=$MEDIC_LABEL_NOTE quote=$MEDIC_LABEL_QUOTE"' }
      - { name: unquoted, run: 'echo pod=$MEDIC_LABEL_POD' }
remediation:
  - name: run-fix
    match: { service: payment }
    action: { type: run, command: 'echo "fixing $MEDIC_LABEL_POD" > fix-seen.txt' }
  - name: script-fix
    match: { service: payment }
    action: { type: script, script: fix.sh }
`,
      { baseDir: dir },
    );
    const id = await h.ingest([alert({ labels: { alertname: 'HighErrorRate', service: 'payment', ...payloads } })]);
    await h.runDue();

    expect(readdirSync(dir).filter((f) => f.startsWith('pwned'))).toEqual([]);
    const steps = (await h.timeline(id)).filter((e) => e.type === 'runbook_step_finished');
    expect(steps.find((e) => e.payload.step === 'quoted')!.payload.output).toBe(`pod=${payloads.pod} note=${payloads.note} quote=${payloads.quote}\n`);
    expect(steps.find((e) => e.payload.step === 'unquoted')!.payload.output).toBe(`pod=${payloads.pod}\n`);
    expect(readFileSync(path.join(dir, 'fix-seen.txt'), 'utf8')).toBe(`fixing ${payloads.pod}\n`);
    expect(readFileSync(path.join(dir, 'script-seen.txt'), 'utf8')).toBe(`script saw: ${payloads.note}\n`);
    const finished = (await h.timeline(id)).filter((e) => e.type === 'remediation_finished');
    expect(finished.map((e) => [e.payload.rule, e.payload.outcome])).toEqual(expect.arrayContaining([['run-fix', 'ok'], ['script-fix', 'ok']]));
    expect(existsSync(path.join(dir, 'pwned-name'))).toBe(false);
  });
});
