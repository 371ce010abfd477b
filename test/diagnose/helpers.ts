import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { Redactor, runbookStep, type RunbookStep } from '../../src/config/index.js';
import { buildIncidentEnv, type IncidentRef } from '../../src/diagnose/steps/env.js';
import type { StepContext } from '../../src/diagnose/steps/step.js';

/** A step as medic.yaml would give it: parsed by the real schema, so defaults apply. */
export function step(raw: Record<string, unknown>): RunbookStep {
  return runbookStep.parse({ name: 'test step', ...raw }) as RunbookStep;
}

export const INCIDENT: IncidentRef = {
  id: 42,
  service: 'payment-service',
  alertName: 'payment_error_rate',
  severity: 'P1',
  labels: { service: 'payment-service', namespace: 'payments' },
};

const tempDirs: string[] = [];
// Registered on the root suite of each test file that imports this module.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory removed when the test file is done. */
export function tempDir(prefix = 'medic-step-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function context(over: Partial<StepContext> & { incident?: IncidentRef } = {}): StepContext {
  const { incident, ...rest } = over;
  return {
    env: buildIncidentEnv(incident ?? INCIDENT),
    signal: new AbortController().signal,
    redactor: new Redactor(),
    cwd: tempDir(),
    ...rest,
  };
}
