import type { MonitorConfig } from '../../config/index.js';
import type { AssertionResult, CheckOutcome, Timings } from './check.js';

/**
 * The text `medic run <monitor>` prints: the verdict, then each step (or the single request) with its
 * timings and every assertion with ✓/✗, what was expected and what was seen. Pure, so the CLI only
 * prints it and tests read it.
 */

export interface FormatOptions {
  /** ANSI colors for a terminal. */
  color?: boolean;
}

const STATUS_MARK = { up: '✓', degraded: '!', down: '✗' } as const;

function paint(text: string, code: number, on: boolean): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function formatTimings(t: Timings): string {
  const parts: string[] = [];
  if (t.dns_ms !== undefined) parts.push(`dns ${t.dns_ms} ms`);
  if (t.connect_ms !== undefined) parts.push(`connect ${t.connect_ms} ms`);
  if (t.tls_ms !== undefined) parts.push(`tls ${t.tls_ms} ms`);
  if (t.first_byte_ms !== undefined) parts.push(`first byte ${t.first_byte_ms} ms`);
  parts.push(`total ${t.total_ms} ms`);
  return parts.join(' · ');
}

function formatAssertion(a: AssertionResult, color: boolean): string {
  const mark = a.pass ? paint('✓', 32, color) : paint('✗', 31, color);
  return `${mark} ${a.name}: expected ${a.expected}, got ${a.actual}`;
}

export function formatOutcome(monitor: Pick<MonitorConfig, 'name' | 'type'> & { steps?: readonly { name?: string | undefined }[] }, outcome: CheckOutcome, options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const statusColor = outcome.status === 'up' ? 32 : outcome.status === 'degraded' ? 33 : 31;
  const lines: string[] = [];
  let head = `${paint(`${STATUS_MARK[outcome.status]} ${outcome.status.toUpperCase()}`, statusColor, color)} ${monitor.name} (${monitor.type})`;
  if (outcome.error) head += ` — ${outcome.error}`;
  lines.push(head);
  if (outcome.degradedBy) lines.push(`  degraded: ${outcome.degradedBy.join('; ')}`);
  lines.push(`  ${formatTimings(outcome.timings)}${outcome.attempts > 1 ? ` · ${outcome.attempts} attempts` : ''}`);
  if (outcome.traceId) lines.push(`  trace ${outcome.traceId}`);
  for (const [key, value] of Object.entries(outcome.info ?? {})) lines.push(`  ${key}: ${value}`);

  if (outcome.steps) {
    outcome.steps.forEach((step, i) => {
      const status = step.status === 'up' ? paint('UP', 32, color) : paint('DOWN', 31, color);
      lines.push(`  ${i + 1}. ${step.name} — ${status}${step.statusCode !== undefined ? ` ${step.statusCode}` : ''} ${step.url}${step.redirects ? ` (${step.redirects} redirects)` : ''}`);
      lines.push(`     ${formatTimings(step.timings)}`);
      if (step.error) lines.push(`     error: ${step.error}`);
      for (const a of step.assertions) lines.push(`     ${formatAssertion(a, color)}`);
    });
    const planned = monitor.steps ?? [];
    for (let i = outcome.steps.length; i < planned.length; i++) lines.push(`  ${i + 1}. ${planned[i]?.name ?? `step ${i + 1}`} — not run`);
  } else {
    for (const a of outcome.assertions) lines.push(`  ${formatAssertion(a, color)}`);
  }
  return lines.join('\n');
}
