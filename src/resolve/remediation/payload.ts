import type { RemediationRule } from '../../config/index.js';
import type { AttemptFields } from '../../incidents/index.js';
import type { RemediationAttempt } from './attempts.js';

/** What every remediation event says about its attempt; `notify` is what the notification reactor reads. */
export function attemptPayload(rule: RemediationRule, a: RemediationAttempt): AttemptFields {
  return {
    rule: rule.name,
    attempt: a.attempt,
    attempt_id: a.id,
    max_auto_attempts: rule.action.max_auto_attempts,
    action: rule.action.type,
    alert: a.alertName,
    ...(rule.action.notify ? { notify: rule.action.notify } : {}),
  };
}
