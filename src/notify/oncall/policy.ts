import type { EscalationPolicyConfig, MedicConfig } from '../../config/index.js';
import { roundGap } from '../../config/index.js';

/**
 * An escalation policy's order of pages: round r (0 … repeat), level l, and how long each step waits
 * after the one before it. Pure, shared by the job that pages and by whatever shows the plan.
 */

export interface Step {
  round: number;
  level: number;
}

/** The policy of an incident's service, if it has one. */
export function policyOf(config: Pick<MedicConfig, 'services' | 'oncall'>, service: string | null): EscalationPolicyConfig | undefined {
  const name = config.services.find((s) => s.name === service)?.escalation;
  return name === undefined ? undefined : config.oncall.escalation_policies.find((p) => p.name === name);
}

/** Every step in order: the levels, then again `repeat` times. */
export function stepsOf(policy: EscalationPolicyConfig): Step[] {
  const out: Step[] = [];
  for (let round = 0; round <= policy.repeat; round++) for (let level = 0; level < policy.levels.length; level++) out.push({ round, level });
  return out;
}

/**
 * How long a step waits after the previous page (the first step: after paging starts). Within a round
 * the level's own `after`; the first level of a later round waits the policy's round gap.
 */
export function waitBefore(policy: EscalationPolicyConfig, step: Step): number {
  if (step.level > 0) return policy.levels[step.level]!.after;
  return step.round === 0 ? policy.levels[0]!.after : roundGap(policy);
}
