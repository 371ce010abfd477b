import { formatDuration } from '../../config/index.js';
import type { StepOutput } from './step.js';

/**
 * The text of a whole runbook run, in the shape of a diagnostic script's report (examples/payment-diagnostics.yaml):
 *
 *   === Payment Service Diagnostic Report ===
 *   Generated: 2026-01-01T12:00:00.000Z
 *
 *   --- Service health ---
 *   {"status":"degraded"}
 *   [ok · HTTP 200 · 42ms]
 *
 * A pure function of its input: steps keep the runbook's order whatever order they finished in, and
 * their outputs are shown as given (already redacted and capped by the runners).
 */

export interface ReportStep {
  name: string;
  /** The step kind (run, http, prometheus, tcp); shown in the status line. */
  kind?: string;
  result: StepOutput;
}

export interface RunbookReport {
  /** e.g. "Payment Service Diagnostic Report". */
  title: string;
  /** UTC ms or a Date. */
  generatedAt: number | Date;
  /** Extra header lines ("Incident: #42 payment_error_rate (P1)", "Runbook: payment-diagnostics"). */
  context?: string[];
  steps: ReportStep[];
}

export function formatRunbookReport(report: RunbookReport): string {
  const generated = new Date(report.generatedAt).toISOString();
  const lines = [`=== ${report.title} ===`, `Generated: ${generated}`, ...(report.context ?? [])];
  for (const step of report.steps) {
    lines.push('', `--- ${step.name} ---`);
    const output = step.result.output.replace(/\s+$/, '');
    lines.push(output === '' ? '(no output)' : output);
    lines.push(statusLine(step));
  }
  const failed = report.steps.filter((s) => !s.result.ok).length;
  lines.push('', `${report.steps.length} step${report.steps.length === 1 ? '' : 's'}: ${report.steps.length - failed} ok, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}

/** `[ok · exit 0 · 1.2s]`, `[failed · HTTP 503 · 80ms · HTTP 503]`. */
function statusLine(step: ReportStep): string {
  const r = step.result;
  const parts = [r.ok ? 'ok' : 'failed'];
  if (step.kind) parts.push(step.kind);
  if (r.exitCode !== undefined) parts.push(`exit ${r.exitCode}`);
  if (r.statusCode !== undefined) parts.push(`HTTP ${r.statusCode}`);
  parts.push(formatElapsed(r.durationMs));
  if (r.truncated) parts.push('output cut');
  // The error is worth saying unless it only repeats the status or the output just above.
  const repeats = [`HTTP ${r.statusCode}`, `exited with code ${r.exitCode}`, r.output.trim()];
  if (r.error !== undefined && !repeats.includes(r.error)) parts.push(r.error);
  return `[${parts.join(' · ')}]`;
}

/** "42ms", "1.2s", "2m5s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms);
}
