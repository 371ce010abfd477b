import type { RunbookConfig } from '../../config/index.js';
import { matchLabels } from '../../incidents/index.js';

/**
 * Which runbooks diagnose an incident. An incident's labels include `alertname` and `service`. A runbook
 * with `alert:` needs the alert name to be one of its names; with `match:` every label matcher must hold;
 * with both, both must; with neither, it diagnoses every incident.
 */
export function runbookMatches(runbook: Pick<RunbookConfig, 'alert' | 'match'>, labels: Record<string, string>): boolean {
  if (runbook.alert && !runbook.alert.includes(labels.alertname ?? '')) return false;
  return matchLabels(runbook.match, labels);
}

export function matchingRunbooks<R extends Pick<RunbookConfig, 'alert' | 'match'>>(runbooks: readonly R[], labels: Record<string, string>): R[] {
  return runbooks.filter((r) => runbookMatches(r, labels));
}
