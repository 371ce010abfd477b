import { z } from 'zod';

/**
 * What each timeline event carries: one schema per event type, checked when the event is appended
 * (events.ts) and used to read it back. The shapes are those the writers produce: src/incidents
 * (ingest, actions), src/detect (monitor recovery), src/diagnose (runbooks, correlation), src/resolve
 * (remediation, rollback, flags), src/verify, src/notify and src/report/import. A field that events
 * written by an older Medic may lack is optional, so that every stored event still reads.
 */

const int = z.number().int();
/** Channels named by whatever caused the event (a monitor's or a rule's `notify:`), told about it too. */
const notify = z.array(z.string()).optional();
/** Marks an event that applied a fix: it sets resolved_at, and verification starts from it. */
const fix = z.literal(true).optional();

export const openedPayload = z.object({
  /** First evidence of impact: the alert's startsAt, the first failing check, the imported start. */
  started_at: z.number().optional(),
  source: z.string().optional(),
  alert: z.string().optional(),
  fingerprint: z.string().optional(),
  notify,
  /** Imported incidents: the file's format and the incident's id there. */
  format: z.string().optional(),
  external_id: z.string().optional(),
});

export const alertFiredPayload = z.object({
  alert: z.string(),
  fingerprint: z.string().optional(),
  source: z.string().optional(),
  severity: z.string().optional(),
  summary: z.string().optional(),
  started_at: z.number().optional(),
  generator_url: z.string().optional(),
});

export const alertResolvedPayload = z.object({ alert: z.string(), fingerprint: z.string().optional(), still_firing: int.optional() });

export const checkRecoveredPayload = z.object({ monitor: z.string(), location: z.string().optional(), duration_ms: z.number().optional() });

export const acknowledgedPayload = z.object({
  source: z.string().optional(),
  alert: z.string().optional(),
  /** Acknowledged with the link in a page (notify/oncall/ack.ts): which `paged` event it came with. */
  via: z.literal('ack_link').optional(),
  page: int.optional(),
});

const runbookRun = { runbook: z.string(), run: int.optional() };

export const runbookStartedPayload = z.object({ ...runbookRun, steps: z.array(z.string()).optional(), concurrency: int.optional(), retry: z.literal(true).optional() });

export const runbookStepFinishedPayload = z.object({
  ...runbookRun,
  index: int.optional(),
  step: z.string(),
  kind: z.string().optional(),
  ok: z.boolean(),
  output: z.string().optional(),
  exit_code: int.optional(),
  status_code: int.optional(),
  /** Structured result: the json_path extract, the parsed Prometheus vector, … */
  value: z.unknown().optional(),
  duration_ms: z.number().optional(),
  error: z.string().optional(),
  truncated: z.literal(true).optional(),
});

export const runbookFinishedPayload = z.object({
  ...runbookRun,
  /** How many steps passed and failed. */
  ok: int.optional(),
  failed: int.optional(),
  duration_ms: z.number().optional(),
  /** The diagnostic report in Markdown. */
  report: z.string().optional(),
});

export const causeIdentifiedPayload = z.object({
  cause: z.string(),
  /** `responder`, or `remediation` for a rule that matched (then its rule and alert). */
  by: z.string().optional(),
  rule: z.string().optional(),
  alert: z.string().optional(),
});

/** What every remediation event says about its attempt (resolve/remediation/payload.ts). */
const attempt = {
  rule: z.string(),
  attempt: int.optional(),
  attempt_id: int.optional(),
  max_auto_attempts: int.optional(),
  action: z.string().optional(),
  alert: z.string().nullable().optional(),
  notify,
};

export const attemptFields = z.object(attempt);
export type AttemptFields = z.infer<typeof attemptFields>;

export const remediationMatchedPayload = z.object({
  rule: z.string(),
  alert: z.string().optional(),
  fingerprint: z.string().optional(),
  action: z.string().optional(),
  /** The action in words, e.g. "restart deployment api in namespace prod". */
  would: z.string().optional(),
  max_auto_attempts: int.optional(),
  cooldown_ms: z.number().optional(),
  timeout_ms: z.number().optional(),
  dry_run: z.literal(true).optional(),
  require_approval: z.literal(true).optional(),
  approval_timeout_ms: z.number().optional(),
  job_id: int.optional(),
  notify,
});

export const remediationStartedPayload = z.object({ ...attempt, approved_by: z.string().nullable().optional(), dry_run: z.literal(true).optional() });

export const remediationFinishedPayload = z.object({
  ...attempt,
  outcome: z.enum(['ok', 'failed']).optional(),
  ok: z.boolean(),
  dry_run: z.literal(true).optional(),
  duration_ms: z.number().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  would: z.string().optional(),
  /** Facts the action reported: revisions, replica counts, exit code, HTTP status, … */
  details: z.record(z.string(), z.unknown()).optional(),
  fix,
});

export const approvalRequestedPayload = z.object({ ...attempt, would: z.string().optional(), expires_at: z.number().nullable().optional() });

/** `approved` and `rejected`: the responder's answer, and why. */
export const approvalDecisionPayload = z.object({ ...attempt, reason: z.string().optional() });

export const approvalExpiredPayload = z.object({ ...attempt, requested_at: z.number().optional() });

export const escalatedPayload = z.object({ reason: z.string().optional(), rule: z.string().optional(), attempts: int.optional(), notify });

/** A flag's state as a flag_changed event records it (before and after). */
const flagState = z.looseObject({ enabled: z.boolean().optional(), rollout: z.number().optional(), version: int.optional() }).nullable().optional();

export const flagChangedPayload = z.object({
  flag: z.string(),
  change_id: int.optional(),
  service: z.string().optional(),
  source: z.string().optional(),
  reason: z.string().optional(),
  before: flagState,
  after: flagState,
  /** The incident the change was made for. */
  incident_id: int.optional(),
  fix,
  notify,
  /** A change made before the incident started, attached as a suspect (diagnose/deployments/correlate.ts). */
  correlated: z.literal(true).optional(),
  changed_at: z.number().optional(),
  changed_by: z.string().optional(),
  minutes_before_start: z.number().optional(),
});

export const deploymentCorrelatedPayload = z.object({
  deployment_id: int.optional(),
  service: z.string(),
  version: z.string(),
  commit: z.string().optional(),
  url: z.string().optional(),
  deployed_at: z.number().optional(),
  deployed_by: z.string().optional(),
  minutes_before_start: z.number().optional(),
  /** `same service` or `dependency`. */
  relation: z.string().optional(),
  rollback: z.literal(true).optional(),
});

export const rolledBackPayload = z.object({
  service: z.string(),
  ok: z.boolean(),
  output: z.string().optional(),
  duration_ms: z.number().optional(),
  error: z.string().optional(),
  deployment_id: int.optional(),
  version: z.string().optional(),
  fix,
});

export const symptomJoinedPayload = z.object({ service: z.string(), alert: z.string(), fingerprint: z.string().optional(), depends_on: z.string() });

export const resolvedPayload = z.object({
  /** `responder`, `import`; an alert source's resolve says its source and alert instead. */
  by: z.string().optional(),
  source: z.string().optional(),
  alert: z.string().optional(),
  fingerprint: z.string().optional(),
  note: z.string().optional(),
});

export const verificationStartedPayload = z.object({
  service: z.string().nullable().optional(),
  window_ms: z.number().optional(),
  interval_ms: z.number().optional(),
  max_error_rate: z.number().optional(),
  max_latency_p95_ms: z.number().optional(),
  stable_for_ms: z.number().optional(),
  watching: z.array(z.string()).optional(),
});

const progressMonitor = z.object({
  name: z.string(),
  state: z.enum(['passing', 'failing', 'pending']),
  status: z.string().optional(),
  error: z.string().nullable().optional(),
  runs: int.nonnegative(),
  passing_runs: int.nonnegative(),
});

/**
 * The `verification_progress` event as verify/progress-event.ts writes it now: what was checked with
 * its figures and thresholds, where the healthy streak and the window stand, and `summary`, the
 * sentence that says all of it. `line` is the evaluation's short form, the one `medic verify` prints.
 */
export const verificationProgressPayload = z.object({
  summary: z.string(),
  line: z.string(),
  healthy: z.boolean(),
  /** 1 for the first evaluation after the fix. */
  evaluation: int.positive(),
  /** Since the fix, and the window it has. */
  elapsed_ms: z.number(),
  window_ms: z.number(),
  /** How long it has been healthy (null: not healthy now), and how long it must be (0: one evaluation). */
  healthy_for_ms: z.number().nullable(),
  stable_for_ms: z.number(),
  monitors: z.array(progressMonitor).optional(),
  /** Present when the error rate is watched; null when Prometheus gave no number (error says why, if it failed). */
  error_rate: z.number().nullable().optional(),
  error_rate_error: z.string().optional(),
  max_error_rate: z.number().optional(),
  latency_p95_ms: z.number().nullable().optional(),
  latency_error: z.string().optional(),
  max_latency_p95_ms: z.number().optional(),
});
export type VerificationProgressPayload = z.infer<typeof verificationProgressPayload>;

/** Progress events written before the summary existed carry the line, the verdict and bare monitor states. */
export const storedVerificationProgressPayload = verificationProgressPayload
  .partial({ summary: true, elapsed_ms: true, window_ms: true, healthy_for_ms: true, stable_for_ms: true })
  .extend({ monitors: z.array(progressMonitor.partial({ runs: true, passing_runs: true })).optional() });

export const verifiedPayload = z.object({
  service: z.string().nullable().optional(),
  evaluations: int.optional(),
  nothing_to_watch: z.literal(true).optional(),
  message: z.string().optional(),
});

export const verificationFailedPayload = z.object({ service: z.string().nullable().optional(), evaluations: int.optional(), reason: z.string().optional() });

export const reopenedPayload = z.object({ alert: z.string().optional(), fingerprint: z.string().optional(), closed_at: z.number().nullable().optional() });

/**
 * Where an on-call escalation stands (notify/oncall/escalate.ts): its policy, the id of the event that
 * started it, and the step (round and level, from 1). Its pages, and a note for a level that reached
 * nobody, carry it: the escalation's progress is read back from them.
 */
const escalationStep = { policy: z.string(), episode: int, round: int.positive(), level: int.positive(), reason: z.string().optional() };

/** One page: a person at one contact, or a channel (`contact: channel`), for one level of an escalation. */
export const pagedPayload = z.object({
  ...escalationStep,
  /** The level's target as written: `schedule:NAME`, `person:NAME`, `channel:NAME`. */
  target: z.string(),
  person: z.string().optional(),
  channel: z.string().optional(),
  contact: z.enum(['email', 'slack', 'webhook', 'channel']),
});

export const escalationExhaustedPayload = z.object({ policy: z.string(), episode: int, rounds: int, levels: int, reason: z.string() });

export const notePayload = z.object({
  /** A note about a remediation attempt (an approved action not run) says which. */
  ...attempt,
  /** A note about an escalation level that reached nobody says which (see escalationStep). */
  ...z.object(escalationStep).partial().shape,
  rule: z.string().optional(),
  text: z.string(),
  /** A note about an alert (what Medic's limits cut from it). */
  fingerprint: z.string().optional(),
  limits: z.array(z.string()).optional(),
});

/** The public status of an incident, as status pages name it. */
export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const publicStatus = z.enum(PUBLIC_STATUSES, { error: (iss) => `expected one of ${PUBLIC_STATUSES.join(', ')}, got ${JSON.stringify(iss.input)}` });
export type PublicStatus = z.infer<typeof publicStatus>;

/** What a responder writes for the status page (public-update.ts): the API body, the CLI's options and the incident page's form. */
export const publicUpdateInput = z.strictObject({
  status: publicStatus,
  message: z.string().trim().min(1, 'must not be empty').max(5000),
});
export type PublicUpdateInput = z.infer<typeof publicUpdateInput>;

/** The `public_update` event: the words, and that a person wrote them (the actor says who). */
export const publicUpdatePayload = publicUpdateInput.extend({ by: z.literal('responder') });

const notification = {
  channel: z.string(),
  event: z.string(),
  attempts: int.optional(),
  status: int.nullable().optional(),
  /** A page's delivery (notify/oncall/page.ts): the `paged` event, its level and the person. */
  page: int.optional(),
  level: int.optional(),
  person: z.string().optional(),
};
export const notificationSentPayload = z.object(notification);
export const notificationFailedPayload = z.object({ ...notification, reason: z.string().nullable().optional() });

/**
 * Every event type with its payload schema: the one list of event types. Adding a type is one line here
 * (and its schema above); the union, EVENT_TYPES, the API's `type` enum and the web UI follow from it,
 * and the compiler then asks for its line in describe.ts (EVENT_DESCRIBERS) and test/helpers/event-samples.ts.
 */
export const EVENT_PAYLOADS = {
  opened: openedPayload,
  alert_fired: alertFiredPayload,
  alert_resolved: alertResolvedPayload,
  check_recovered: checkRecoveredPayload,
  acknowledged: acknowledgedPayload,
  runbook_started: runbookStartedPayload,
  runbook_step_finished: runbookStepFinishedPayload,
  runbook_finished: runbookFinishedPayload,
  cause_identified: causeIdentifiedPayload,
  remediation_matched: remediationMatchedPayload,
  remediation_started: remediationStartedPayload,
  remediation_finished: remediationFinishedPayload,
  approval_requested: approvalRequestedPayload,
  approved: approvalDecisionPayload,
  rejected: approvalDecisionPayload,
  approval_expired: approvalExpiredPayload,
  escalated: escalatedPayload,
  flag_changed: flagChangedPayload,
  deployment_correlated: deploymentCorrelatedPayload,
  rolled_back: rolledBackPayload,
  symptom_joined: symptomJoinedPayload,
  resolved: resolvedPayload,
  verification_started: verificationStartedPayload,
  verification_progress: storedVerificationProgressPayload,
  verified: verifiedPayload,
  verification_failed: verificationFailedPayload,
  reopened: reopenedPayload,
  note: notePayload,
  public_update: publicUpdatePayload,
  notification_sent: notificationSentPayload,
  notification_failed: notificationFailedPayload,
  paged: pagedPayload,
  escalation_exhausted: escalationExhaustedPayload,
};
