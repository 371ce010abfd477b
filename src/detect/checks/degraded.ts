import { evaluateCondition, type Condition } from '../../config/index.js';
import type { CheckOutcome } from './check.js';

/**
 * `degraded_if`: a run that passed but was slow (or otherwise off) is 'degraded' — shown and optionally
 * notified, but it opens no incident. Only a passing run can be degraded; a down run stays down.
 */
export function applyDegraded(outcome: CheckOutcome, conditions: readonly Condition[] | undefined): CheckOutcome {
  if (outcome.status !== 'up' || !conditions || conditions.length === 0) return outcome;
  const held = conditions.filter((c) => evaluateCondition(c, outcome.measurements)).map((c) => c.source);
  if (held.length === 0) return outcome;
  return { ...outcome, status: 'degraded', degradedBy: held };
}
