import { formatDuration, type AlertRuleConfig, type MonitorConfig } from '../config/index.js';
import { retryDelay } from '../detect/checks/retry.js';

/**
 * Worst-case time to detect: from the moment something breaks to the moment Medic opens the incident,
 * if every wait falls the wrong way. The article's target is an alert within 2 minutes of an actual
 * problem; anything slower is flagged with the setting that contributes most.
 *
 * A monitor (see detect/ and the scheduler):
 *   interval                                   the failure starts just after a run passed
 * + failure_threshold × one run                each failed run may take its whole timeout, and each
 *                                              retry within it (retry.count) another timeout and delay
 * + (failure_threshold − 1) × retry_interval   after a first failure the monitor checks again this soon
 *                                              (never later than its interval)
 * A heartbeat monitor fails when no ping came for interval + grace, then confirms like the others
 * (no timeout: nothing is requested).
 *
 * An alert rule: evaluation_interval (the condition turns true just after an evaluation) + `for`.
 */

export const DETECTION_TARGET_MS = 2 * 60_000;

export interface DetectionTime {
  worstCaseMs: number;
  /** The terms, largest first, e.g. ["interval 1m", "2 × timeout 10s", "1 × retry_interval 5s"]. */
  parts: { setting: string; ms: number; text: string }[];
  /** When over the target: what to change first. */
  fix: string | null;
}

const FIXES: Record<string, string> = {
  interval: 'lower interval',
  grace: 'lower grace',
  timeout: 'lower timeout (or retry.count, retry.delay)',
  retry_interval: 'lower retry_interval (or failure_threshold)',
  for: 'lower for',
  evaluation_interval: 'lower evaluation_interval',
};

function conclude(parts: DetectionTime['parts']): DetectionTime {
  const sorted = parts.filter((p) => p.ms > 0).sort((a, b) => b.ms - a.ms);
  const worstCaseMs = parts.reduce((sum, p) => sum + p.ms, 0);
  const top = sorted[0];
  const fix = worstCaseMs > DETECTION_TARGET_MS && top ? `${FIXES[top.setting] ?? `lower ${top.setting}`}: ${top.text} of the ${formatDuration(worstCaseMs)}` : null;
  return { worstCaseMs, parts: sorted, fix };
}

export function monitorDetectionTime(m: MonitorConfig): DetectionTime {
  const threshold = m.failure_threshold;
  const confirm = Math.min(m.retry_interval, m.interval);
  const confirmPart = { setting: 'retry_interval', ms: (threshold - 1) * confirm, text: `${threshold - 1} × retry_interval ${formatDuration(confirm)}` };
  if (m.type === 'heartbeat') {
    return conclude([
      { setting: 'interval', ms: m.interval, text: `interval ${formatDuration(m.interval)}` },
      { setting: 'grace', ms: m.grace, text: `grace ${formatDuration(m.grace)}` },
      confirmPart,
    ]);
  }
  const retries = m.retry?.count ?? 0;
  let runMs = (retries + 1) * m.timeout;
  // The delays the run waits between its attempts, exactly as detect/checks/retry.ts waits them.
  for (let n = 1; n <= retries; n++) runMs += retryDelay(m.retry!, n);
  return conclude([
    { setting: 'interval', ms: m.interval, text: `interval ${formatDuration(m.interval)}` },
    {
      setting: 'timeout',
      ms: threshold * runMs,
      text: `${threshold} × ${retries ? `(timeout ${formatDuration(m.timeout)} × ${retries + 1} attempts + retry delays)` : `timeout ${formatDuration(m.timeout)}`}`,
    },
    confirmPart,
  ]);
}

export function alertDetectionTime(a: AlertRuleConfig): DetectionTime {
  return conclude([
    { setting: 'evaluation_interval', ms: a.evaluation_interval, text: `evaluation_interval ${formatDuration(a.evaluation_interval)}` },
    { setting: 'for', ms: a.for, text: `for ${formatDuration(a.for)}` },
  ]);
}
