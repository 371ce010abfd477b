import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { Redactor, remediationAction, service, type RemediationAction, type ServiceConfig } from '../../src/config/index.js';
import { buildIncidentEnv, type IncidentRef } from '../../src/diagnose/steps/env.js';
import type { ActionContext, FlagSwitch } from '../../src/resolve/actions/action.js';

/** An action as medic.yaml would give it: parsed by the real schema, so defaults apply. */
export function action(raw: Record<string, unknown>): RemediationAction {
  return remediationAction.parse(raw);
}

export function services(...raw: Array<Record<string, unknown>>): ServiceConfig[] {
  return raw.map((s) => service.parse(s));
}

export const INCIDENT: IncidentRef = {
  id: 42,
  service: 'payment-service',
  alertName: 'payment-service-pod-crashlooping',
  severity: 'P1',
  labels: { service: 'payment-service', namespace: 'payments' },
};

/**
 * An in-memory FlagSwitch: the flag service that implements the interface for real does not exist yet.
 * It records every call.
 */
export class MemoryFlags implements FlagSwitch {
  readonly calls: Array<{ key: string; enabled: boolean; change: { actor: string; reason: string; incidentId: number } }> = [];
  constructor(readonly state: Record<string, boolean> = {}) {}
  async setEnabled(key: string, enabled: boolean, change: { actor: string; reason: string; incidentId: number }) {
    this.calls.push({ key, enabled, change });
    if (!(key in this.state)) throw new Error(`no flag ${JSON.stringify(key)}`);
    const changed = this.state[key] !== enabled;
    this.state[key] = enabled;
    return { changed };
  }
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'medic-action-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function actionContext(over: Partial<ActionContext> = {}): ActionContext {
  const incident = over.incident ?? INCIDENT;
  return {
    incident,
    env: buildIncidentEnv(incident),
    signal: new AbortController().signal,
    timeoutMs: 10_000,
    redactor: new Redactor(),
    baseDir: tempDir(),
    services: [],
    kubernetes: {},
    flags: new MemoryFlags(),
    ...over,
  };
}
