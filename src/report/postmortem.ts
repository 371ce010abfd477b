import { formatDuration } from '../config/index.js';
import { incidentDetails, type IncidentContext, type IncidentDetails } from '../incidents/index.js';
import type { Db } from '../store/index.js';
import {
  causeSection,
  cell,
  changesSection,
  followUpsSection,
  impactSection,
  phasesSection,
  remediationSection,
  runbooksSection,
  timelineSection,
  utc,
} from './postmortem-sections.js';

/**
 * A postmortem draft in Markdown, written from what Medic recorded: the summary, the impact window,
 * the four phases against the maturity targets, the timeline, what the runbooks found, the remediation
 * attempts, the deployments and flag changes just before, the root cause, and follow-ups that start
 * with this incident's bottleneck phase and the lever for it (bottleneck.ts). The facts are filled in; the
 * judgement is left to the people who write the postmortem.
 */

export interface RemediationAttemptRecord {
  rule: string;
  attempt: number;
  action: string;
  status: string;
  dryRun: boolean;
  requestedAt: number;
  finishedAt: number | null;
  decidedBy: string | null;
  error: string | null;
}

export interface PostmortemData extends IncidentDetails {
  attempts: RemediationAttemptRecord[];
}

export async function postmortemData(db: Db, ctx: Pick<IncidentContext, 'config'>, id: number): Promise<PostmortemData | undefined> {
  const details = await incidentDetails(db, ctx, id);
  if (!details) return undefined;
  const rows = await db.selectFrom('remediation_attempts').selectAll().where('incident_id', '=', id).orderBy('requested_at').orderBy('id').execute();
  const attempts = rows.map((r) => ({
    rule: r.rule_name,
    attempt: r.attempt,
    action: r.action_type,
    status: r.status,
    dryRun: r.dry_run === 1,
    requestedAt: r.requested_at,
    finishedAt: r.finished_at,
    decidedBy: r.decided_by,
    error: r.error,
  }));
  // The timeline in the order things happened (events may be stamped earlier than written, e.g. startsAt).
  const timeline = [...details.timeline].sort((a, b) => a.at - b.at || a.id - b.id);
  return { ...details, timeline, attempts };
}

function summarySection(d: PostmortemData): string[] {
  const i = d.incident;
  const affected = d.affected?.affected.map((a) => a.service) ?? [];
  const alerts = d.alerts.length ? d.alerts.map((a) => `${a.name} (${a.source})`).join(', ') : i.alertName ? `${i.alertName} (${i.source})` : `— (${i.source})`;
  const phase = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
  const p = i.phases;
  const story =
    i.startedAt !== null && p.mttr_ms !== null
      ? `${i.service ?? 'The service'} was impaired for ${phase(p.mttr_ms)}. Medic detected it ${phase(p.detect_ms)} after impact began; ` +
        `the cause was identified ${phase(p.diagnose_ms)} later, a fix applied ${phase(p.resolve_ms)} after that, ` +
        `and recovery ${i.verifiedAt !== null ? `verified ${phase(p.verify_ms)} later` : 'was not verified'}.`
      : `The incident is ${i.status}: the figures below are as far as it got.`;
  return [
    '## Summary',
    '',
    '| | |',
    '|---|---|',
    `| Incident | #${i.id} · ${i.severity} · ${i.status}${i.reopenCount ? ` (reopened ${i.reopenCount}×)` : ''} |`,
    `| Service | ${cell(i.service ?? '—')}${affected.length ? ` (also affected: ${cell(affected.join(', '))})` : ''} |`,
    `| Alerts | ${cell(alerts)} |`,
    `| Detected | ${utc(i.detectedAt)} |`,
    `| Time to recovery | ${phase(p.mttr_ms)} |`,
    `| Root cause | ${cell(i.cause ?? '_not recorded_')} |`,
    '',
    story,
  ];
}

export function renderPostmortem(d: PostmortemData, now: number): string {
  const i = d.incident;
  const sections = [
    [`# Postmortem: ${i.title} (#${i.id})`, '', `_Draft by Medic, ${utc(now)}, from the incident's timeline. The facts are filled in; the why and the what-next are yours to write._`],
    summarySection(d),
    impactSection(d),
    phasesSection(d),
    timelineSection(d),
    runbooksSection(d),
    remediationSection(d),
    changesSection(d),
    causeSection(d),
    followUpsSection(d),
  ];
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}

/** The draft of incident `id`, or undefined when there is no such incident. */
export async function postmortemDraft(db: Db, ctx: Pick<IncidentContext, 'config'>, id: number, now: number): Promise<string | undefined> {
  const data = await postmortemData(db, ctx, id);
  return data ? renderPostmortem(data, now) : undefined;
}
