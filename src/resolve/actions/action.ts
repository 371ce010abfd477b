import type { Redactor, RemediationAction, ServiceConfig } from '../../config/index.js';
import type { IncidentRef } from '../../diagnose/steps/env.js';

/**
 * A remediation action executor: one per action type of `remediation[].action.type`, registered in
 * index.ts. Executors only act; dry runs, approvals, attempt counting and cooldowns belong to the caller.
 */

/**
 * Turns a feature flag on or off on behalf of a remediation. Declared here, where it is needed; the flag
 * service implements it.
 */
export interface FlagSwitch {
  setEnabled(key: string, enabled: boolean, change: { actor: string; reason: string; incidentId: number }): Promise<{ changed: boolean }>;
}

export interface ActionContext {
  incident: IncidentRef;
  /** The environment commands run with: MEDIC_* plus PATH, HOME, LANG (see diagnose/steps/env.ts). */
  env: Record<string, string>;
  /** Aborted when the attempt is cancelled or (inside executeAction) its time is up. */
  signal: AbortSignal;
  /** The action's time budget; executeAction enforces it. */
  timeoutMs: number;
  redactor: Redactor;
  /** Relative script paths and kubeconfig paths resolve against this (the config file's folder). */
  baseDir: string;
  services: ServiceConfig[];
  /** medic.yaml's `kubernetes:` section. */
  kubernetes: { kubeconfig?: string; context?: string };
  flags: FlagSwitch;
  /** Who the change is recorded as (the remediation rule's name); default "system". */
  actor?: string;
}

export interface ActionOutcome {
  ok: boolean;
  /** What the action printed or answered, redacted and capped. */
  output: string;
  /** Why it failed, in one line (redacted). */
  error?: string;
  durationMs: number;
  /** Facts for the timeline: revisions, replica counts, exit code, HTTP status, … (redacted). */
  details?: Record<string, unknown>;
}

/** What describing an action needs: no signal, no clients, nothing is touched. */
export type DescribeContext = Pick<ActionContext, 'incident' | 'services' | 'baseDir'>;

export type ActionOfType<T extends RemediationAction['type']> = Extract<RemediationAction, { type: T }>;

export interface ActionExecutor<T extends RemediationAction['type']> {
  readonly type: T;
  execute(action: ActionOfType<T>, ctx: ActionContext): Promise<ActionOutcome>;
  /** One line saying what `execute` would do, for dry-run records. Not yet redacted: describeAction does it. */
  describe(action: ActionOfType<T>, ctx: DescribeContext): string;
}

/** Output shown for an action (they have no `max_output` of their own). */
export const ACTION_MAX_OUTPUT = 64 * 1024;
