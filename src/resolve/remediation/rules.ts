import type { RemediationRule } from '../../config/index.js';
import { matchLabels } from '../../incidents/index.js';

/**
 * Which remediation rules apply to a firing alert: enabled ones whose `alert:` is the alert's name and
 * whose `match:` label matchers all hold (a rule may have either or both). The labels include
 * `alertname` and `service`.
 */
export function ruleMatches(rule: RemediationRule, alert: { name: string; labels: Record<string, string> }): boolean {
  if (!rule.enabled) return false;
  if (rule.alert !== undefined && rule.alert !== alert.name) return false;
  return matchLabels(rule.match, alert.labels);
}

export function matchingRules(rules: readonly RemediationRule[], alert: { name: string; labels: Record<string, string> }): RemediationRule[] {
  return rules.filter((r) => ruleMatches(r, alert));
}

/** The rule by name, if it exists and is enabled. */
export function enabledRule(rules: readonly RemediationRule[], name: string): RemediationRule | undefined {
  return rules.find((r) => r.name === name && r.enabled);
}

/** The cause a matched rule records: its own `cause`, or that its pattern is a known one. */
export function ruleCause(rule: RemediationRule): string {
  return rule.cause ?? `known failure pattern: ${rule.name}`;
}
