import { formatDuration } from '../config/index.js';
import { isFix, ofType, PHASES, type IncidentEventOf, type Phase } from '../incidents/index.js';
import { PHASE_LEVERS } from './bottleneck.js';
import { MATURITY_LEVELS, maturityLevel } from './maturity.js';
import type { PostmortemData } from './postmortem.js';

/**
 * The sections of a postmortem draft (see postmortem.ts), each a list of Markdown lines. Facts come
 * from the incident, its timeline and its remediation attempts; where a fact is missing the draft says
 * so and how to record it, rather than leaving a blank.
 */

export const utc = (ms: number | null) => (ms === null ? '—' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
const dur = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : formatDuration(ms));
/** Text safe inside a Markdown table cell: no pipes or line breaks. */
export const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Output shown at most this long: the draft points at the incident for the rest. */
const OUTPUT_LINES = 12;
const OUTPUT_CHARS = 1200;

export function trimOutput(text: string): string {
  let out = text.trimEnd();
  let cut = false;
  const lines = out.split('\n');
  if (lines.length > OUTPUT_LINES) {
    out = lines.slice(0, OUTPUT_LINES).join('\n');
    cut = true;
  }
  if (out.length > OUTPUT_CHARS) {
    out = out.slice(0, OUTPUT_CHARS);
    cut = true;
  }
  // A fence inside the output would end the code block early.
  out = out.replace(/```/g, "'''");
  return cut ? `${out}\n[… trimmed; the whole output is on the incident's timeline]` : out;
}

/** The phase that took longest (the earlier one on a tie); null when nothing took any time. */
export function incidentBottleneck(d: PostmortemData): { phase: Phase; ms: number; share: number } | null {
  const p = d.incident.phases;
  let best: { phase: Phase; ms: number } | null = null;
  for (const phase of PHASES) {
    const ms = p[`${phase}_ms`];
    if (ms !== null && ms > 0 && (best === null || ms > best.ms)) best = { phase, ms };
  }
  if (!best) return null;
  const total = PHASES.reduce((sum, phase) => sum + (p[`${phase}_ms`] ?? 0), 0);
  return { ...best, share: best.ms / total };
}

export function impactSection(d: PostmortemData): string[] {
  const i = d.incident;
  const rows: [string, number | null, string][] = [
    ['Started', i.startedAt, 'first evidence of impact'],
    ['Detected', i.detectedAt, 'the incident opened'],
    ['Acknowledged', i.acknowledgedAt, 'someone was on it'],
    ['Diagnosed', i.diagnosedAt, 'the cause identified'],
    ['Resolved', i.resolvedAt, 'a fix applied'],
    ['Verified', i.verifiedAt, 'recovery confirmed'],
  ];
  const end = i.verifiedAt ?? i.resolvedAt;
  const lasted =
    i.startedAt === null || end === null
      ? `The incident is not resolved yet (${i.status}).`
      : `Impact lasted **${dur(end - i.startedAt)}**, from ${utc(i.startedAt)} to ${utc(end)}${i.verifiedAt === null ? ' (recovery was not verified; counted until the fix)' : ''}.`;
  return ['## Impact window', '', '| | When | |', '|---|---|---|', ...rows.map(([name, at, what]) => `| ${name} | ${utc(at)} | ${what} |`), '', lasted];
}

/** The article's typical range of each phase. */
const TYPICAL: Record<Phase, string> = { detect: '0–30 min', diagnose: '10–120 min', resolve: '5–60 min', verify: '2–10 min' };

export function phasesSection(d: PostmortemData): string[] {
  const p = d.incident.phases;
  const total = PHASES.reduce((sum, phase) => sum + (p[`${phase}_ms`] ?? 0), 0);
  const share = (ms: number | null) => (ms === null || total === 0 ? '—' : `${Math.round((ms / total) * 100)}%`);
  const lines = [
    '## Time to recovery, phase by phase',
    '',
    '| Phase | Duration | Share | Typical |',
    '|---|---|---|---|',
    ...PHASES.map((phase) => `| ${phase[0]!.toUpperCase()}${phase.slice(1)} | ${dur(p[`${phase}_ms`])} | ${share(p[`${phase}_ms`])} | ${TYPICAL[phase]} |`),
    `| **MTTR** | **${dur(p.mttr_ms)}** | | |`,
    '',
    `Maturity targets: ${MATURITY_LEVELS.map((l) => `${l.level} < ${l.belowMinutes < 60 ? `${l.belowMinutes} min` : `${l.belowMinutes / 60} h`}`).join(' · ')}.`,
  ];
  if (p.mttr_ms !== null) {
    const minutes = p.mttr_ms / 60_000;
    const level = maturityLevel(minutes);
    const index = MATURITY_LEVELS.findIndex((l) => l.level === level);
    const better = index === -1 ? MATURITY_LEVELS.at(-1)! : MATURITY_LEVELS[index - 1];
    const over = better ? p.mttr_ms - better.belowMinutes * 60_000 : 0;
    const gap = better ? ` — ${over === 0 ? `exactly at the ${better.level} limit` : `${dur(over)} over the ${better.level} target`}` : '';
    lines.push(`This incident: **${level}**${gap}.`);
  }
  return lines;
}

export function timelineSection(d: PostmortemData): string[] {
  const origin = d.incident.detectedAt ?? d.incident.startedAt ?? d.incident.createdAt;
  const shown = d.timeline.filter((e) => e.type !== 'notification_sent' && e.type !== 'notification_failed');
  const notifications = d.timeline.length - shown.length;
  const since = (at: number) => (at === origin ? '0s' : `${at < origin ? '−' : '+'}${formatDuration(Math.abs(at - origin))}`);
  return [
    '## Timeline',
    '',
    '| Time (UTC) | Since detection | Who | What |',
    '|---|---|---|---|',
    ...shown.map((e) => `| ${utc(e.at).slice(11, 19)} | ${since(e.at)} | ${cell(e.actor)} | ${cell(e.text)} |`),
    ...(notifications ? ['', `${notifications} notification${notifications === 1 ? '' : 's'} sent or attempted (not listed).`] : []),
  ];
}

export function runbooksSection(d: PostmortemData): string[] {
  const steps = d.timeline.filter(ofType('runbook_step_finished'));
  const lines = ['## What the runbooks found', ''];
  if (steps.length === 0) return [...lines, `_No runbook ran for this incident._`];
  const byRunbook = new Map<string, IncidentEventOf<'runbook_step_finished'>[]>();
  for (const e of steps) byRunbook.set(e.payload.runbook || e.actor, [...(byRunbook.get(e.payload.runbook || e.actor) ?? []), e]);
  for (const [runbook, events] of byRunbook) {
    lines.push(`### ${runbook}`, '');
    for (const e of events) {
      const p = e.payload;
      const took = p.duration_ms !== undefined ? ` in ${dur(p.duration_ms)}` : '';
      const status = p.status_code !== undefined ? `, HTTP ${p.status_code}` : p.exit_code !== undefined ? `, exit ${p.exit_code}` : '';
      lines.push(`- **${p.step || 'step'}** ${p.ok ? 'ok' : 'failed'}${took}${status}${p.value !== undefined ? `: \`${cell(str(typeof p.value === 'string' ? p.value : JSON.stringify(p.value)))}\`` : ''}`);
      if (p.error) lines.push(`  - error: ${cell(p.error)}`);
      if (p.output?.trim()) lines.push('', '  ```', ...trimOutput(p.output).split('\n').map((l) => `  ${l}`), '  ```', '');
    }
    if (lines.at(-1) !== '') lines.push('');
  }
  return lines.slice(0, -1);
}

export function remediationSection(d: PostmortemData): string[] {
  const lines = ['## Remediation', ''];
  if (d.attempts.length > 0) {
    lines.push('| Rule | Attempt | Action | Outcome | Requested | Finished | Notes |', '|---|---|---|---|---|---|---|');
    for (const a of d.attempts) {
      const notes = [a.dryRun ? 'dry run' : '', a.decidedBy ? `decided by ${a.decidedBy}` : '', a.error ?? ''].filter(Boolean).join('; ');
      lines.push(`| ${cell(a.rule)} | ${a.attempt} | ${cell(a.action)} | ${a.status} | ${utc(a.requestedAt)} | ${utc(a.finishedAt)} | ${cell(notes) || '—'} |`);
    }
  } else {
    // Attempts recorded only on the timeline (an older Medic, or an incident imported with its events).
    const finished = d.timeline.filter(ofType('remediation_finished'));
    if (finished.length === 0) lines.push('_No remediation was attempted._');
    for (const e of finished) lines.push(`- ${utc(e.at)}: ${cell(e.text)}`);
  }
  const fixes = d.timeline.filter(ofType('flag_changed')).filter((e) => e.payload.fix === true);
  for (const e of fixes) lines.push('', `Flag **${e.payload.flag}** ${e.payload.after?.enabled === undefined ? 'changed' : `switched ${e.payload.after.enabled ? 'on' : 'off'}`} at ${utc(e.at)} by ${e.actor}${e.payload.reason ? ` (${cell(e.payload.reason)})` : ''}.`);
  const fixed = d.timeline.find((e) => e.at === d.incident.resolvedAt && isFix(e));
  if (fixed) lines.push('', `The fix that held: ${fixed.text} (${fixed.actor}, ${utc(fixed.at)}).`);
  return lines;
}

export function changesSection(d: PostmortemData): string[] {
  const deployments = d.timeline.filter(ofType('deployment_correlated'));
  const flags = d.timeline.filter(ofType('flag_changed')).filter((e) => e.payload.correlated === true);
  const lines = ['## Changes before the incident', ''];
  if (deployments.length + flags.length === 0) return [...lines, '_No deployment or flag change was recorded in the correlation window before the incident started._'];
  const before = (p: { minutes_before_start?: number }) => (p.minutes_before_start !== undefined ? `, ${p.minutes_before_start} min before impact began` : '');
  for (const e of deployments) {
    const p = e.payload;
    const commit = p.commit ? ` (commit ${p.commit.slice(0, 12)})` : '';
    const link = p.url ? ` — ${p.url}` : '';
    lines.push(`- Deployment of **${p.service} ${p.version}**${commit} by ${p.deployed_by || 'unknown'} at ${utc(p.deployed_at ?? e.at)}${before(p)}${p.relation ? ` (${p.relation})` : ''}${p.rollback ? ', a rollback' : ''}${link}`);
  }
  for (const e of flags) {
    const p = e.payload;
    const state = (v: unknown) => (v && typeof v === 'object' ? JSON.stringify(v) : str(v));
    lines.push(`- Flag **${p.flag}** changed by ${p.changed_by || e.actor} at ${utc(p.changed_at ?? e.at)}${before(p)}: ${state(p.before)} → ${state(p.after)}${p.reason ? ` (${cell(p.reason)})` : ''}`);
  }
  return lines;
}

export function causeSection(d: PostmortemData): string[] {
  const i = d.incident;
  return [
    '## Root cause',
    '',
    i.cause ?? `_Not recorded. Record it with \`medic incident diagnose ${i.id} --cause "…"\` (or POST /api/incidents/${i.id}/diagnose), then write here why it happened and why it was not caught sooner._`,
  ];
}

export function followUpsSection(d: PostmortemData): string[] {
  const i = d.incident;
  const lines = ['## Follow-ups', ''];
  const bottleneck = incidentBottleneck(d);
  if (bottleneck) {
    lines.push(`- **Bottleneck: ${bottleneck.phase}** took ${dur(bottleneck.ms)}, ${Math.round(bottleneck.share * 100)}% of this incident's time to recovery. Lever: ${PHASE_LEVERS[bottleneck.phase]}.`);
  }
  if ((i.phases.detect_ms ?? 0) > 2 * 60_000) {
    lines.push(`- Detection took ${dur(i.phases.detect_ms)}; the target is under 2 minutes. Check what covers ${i.service ?? 'this service'} with \`medic coverage\`.`);
  }
  if (!d.timeline.some((e) => e.type === 'runbook_step_finished')) {
    lines.push(`- No runbook ran: add one that matches ${i.service ? `\`service: ${i.service}\`` : 'this alert'}, so the next responder starts with answers.`);
  }
  if (d.attempts.length === 0 && !d.timeline.some((e) => e.type === 'remediation_finished') && i.resolvedAt !== null) {
    lines.push(`- The fix was applied by hand: if this failure pattern can recur, a remediation rule for \`${i.alertName ?? i.title}\` would apply it in seconds.`);
  }
  if (i.resolvedAt !== null && i.verifiedAt === null) lines.push(`- Recovery was not verified: give ${i.service ?? 'the service'} monitors or Prometheus metrics so Medic can confirm the next fix.`);
  if (i.cause === null) lines.push('- Record the root cause (see above).');
  lines.push('- [ ] Action item — owner — due date');
  return lines;
}
