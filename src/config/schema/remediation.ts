import { z } from 'zod';
import { duration } from '../units.js';
import { headers, httpUrl, labelMatchers, notifyList } from './common.js';

/**
 * `remediation:` — alert → action rules. Safeguards sit inside `action`, as the README's Remediation section shows them
 * (`max_auto_attempts`, `notify`, `timeout`), with the rest beside them.
 */

export const safeguards = {
  max_auto_attempts: z.number().int().min(0).max(100).default(1).describe('Attempts per incident and rule, counted in the database.'),
  cooldown: duration().prefault('30s').describe('Time between attempts (the next one waits for verification to fail and for this to pass).'),
  timeout: duration().prefault('1m').describe('The action is stopped and counted as failed after this.'),
  dry_run: z.boolean().default(false).describe('Record what would run, run nothing.'),
  require_approval: z.boolean().default(false).describe('Wait for a responder to approve (API, CLI or UI) before running.'),
  approval_timeout: duration().prefault('15m').describe('A request not approved within this is recorded as expired.'),
  notify: notifyList.optional().describe('Channels told when the action runs and how it ended.'),
};

const kubernetesTarget = {
  deployment: z.string().min(1).describe('Kubernetes Deployment name.'),
  namespace: z.string().min(1).default('default').describe('Kubernetes namespace.'),
};

export const REMEDIATION_ACTION_TYPES = [
  'kubernetes_rollout_restart',
  'scale_deployment',
  'kubernetes_rollout_undo',
  'script',
  'run',
  'webhook',
  'disable_flag',
  'enable_flag',
  'rollback',
] as const;
export type RemediationActionType = (typeof REMEDIATION_ACTION_TYPES)[number];

export const remediationAction = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('kubernetes_rollout_restart'), ...kubernetesTarget, ...safeguards }),
    z.strictObject({ type: z.literal('scale_deployment'), ...kubernetesTarget, replicas: z.number().int().min(0), ...safeguards }),
    z.strictObject({
      type: z.literal('kubernetes_rollout_undo'),
      ...kubernetesTarget,
      to_revision: z.number().int().positive().optional().describe('Roll back to this revision instead of the previous one.'),
      ...safeguards,
    }),
    z.strictObject({
      type: z.literal('script'),
      script: z.string().min(1).describe('Path of an executable, relative to the config file. Alert data arrives as environment variables.'),
      args: z.array(z.string()).default([]),
      env: z.record(z.string(), z.string()).default({}),
      ...safeguards,
    }),
    z.strictObject({ type: z.literal('run'), command: z.string().min(1), env: z.record(z.string(), z.string()).default({}), ...safeguards }),
    z.strictObject({
      type: z.literal('webhook'),
      url: httpUrl(),
      method: z.string().default('POST'),
      headers: headers.default({}),
      body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
      ...safeguards,
    }),
    z.strictObject({ type: z.literal('disable_flag'), flag: z.string().min(1), ...safeguards }),
    z.strictObject({ type: z.literal('enable_flag'), flag: z.string().min(1), ...safeguards }),
    z.strictObject({
      type: z.literal('rollback'),
      service: z.string().min(1).optional().describe('Whose rollback command to run (default: the incident\'s service).'),
      ...safeguards,
    }),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `expected action type to be one of ${REMEDIATION_ACTION_TYPES.join(', ')}, got ${JSON.stringify((iss.input as { type?: unknown })?.type)}`
        : undefined,
  },
);
export type RemediationAction = z.infer<typeof remediationAction>;

export const remediationRule = z
  .strictObject({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    alert: z.string().min(1).optional().describe('Alert name this rule fixes.'),
    match: labelMatchers.optional().describe('Or label matchers.'),
    cause: z.string().optional().describe('The failure pattern this rule encodes, recorded as the cause when it matches.'),
    enabled: z.boolean().default(true),
    action: remediationAction.describe('What to do, and its safeguards.'),
  })
  .refine((r) => r.alert !== undefined || r.match !== undefined, { message: 'a remediation rule needs `alert:` or `match:`' })
  // A rule is referred to by name in attempts and events; the alert name is a good default.
  .transform((r) => ({ ...r, name: r.name ?? r.alert ?? `${r.action.type}:${Object.values(r.match ?? {}).join(',')}` }));
export type RemediationRule = z.infer<typeof remediationRule>;
