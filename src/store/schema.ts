import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The tables of Medic's database, as Kysely sees them. Timestamps are UTC milliseconds (bigint on
 * PostgreSQL, integer on SQLite) so every query and every value is the same on both engines; JSON is
 * stored as text for the same reason, and booleans as 0/1.
 */

/** UTC milliseconds since the epoch. */
export type Millis = number;
/** A JSON document stored as text. */
export type JsonText = string;
/** 0 or 1. */
export type Bool = number;

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: string;
  token_hash: string;
  /** Where the token came from: cli, api or config. */
  source: string;
  created_at: Millis;
  last_used_at: Millis | null;
}

export interface MonitorsTable {
  id: Generated<number>;
  name: string;
  service: string | null;
  type: string;
  /** Hash of the monitor's config, so a reload keeps the state of monitors that did not change. */
  config_hash: string;
  config: JsonText;
  enabled: Generated<Bool>;
  /** pending | up | degraded | down: the monitor as a whole (down once confirmed by enough locations). */
  status: Generated<string>;
  last_run_at: Millis | null;
  heartbeat_token: string | null;
  last_ping_at: Millis | null;
  incident_id: number | null;
  created_at: Millis;
  updated_at: Millis;
}

/** When each monitor runs next, per location, who holds the run, and its failure streak there. */
export interface MonitorScheduleTable {
  id: Generated<number>;
  monitor_id: number;
  /** A worker location, or `*` for a monitor without `locations:` (any worker runs it). */
  location: string;
  next_run_at: Millis;
  lease_owner: string | null;
  lease_until: Millis | null;
  /** Stamped by each claim; a result is written only while the row still carries it (see 013). */
  lease_token: string | null;
  /** pending | up | degraded | down, as seen from this location. */
  status: Generated<string>;
  consecutive_failures: Generated<number>;
  consecutive_successes: Generated<number>;
  /** Time of the first failing run of the current streak: the incident's started_at. */
  failing_since: Millis | null;
  last_run_at: Millis | null;
  last_error: string | null;
}

/** Per monitor and hour: run counts and summed duration, kept by the result writer. */
export interface CheckRollupsTable {
  monitor_id: number;
  /** Start of the hour, UTC ms. */
  hour: Millis;
  runs: number;
  up: number;
  degraded: number;
  duration_ms_sum: number;
}

export interface CheckResultsTable {
  id: Generated<number>;
  monitor_id: number;
  started_at: Millis;
  duration_ms: number;
  /** up | degraded | down */
  status: string;
  error: string | null;
  /** { dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms } */
  timings: JsonText;
  /** Per assertion (and per step): name, pass, expected, actual. */
  details: JsonText;
  trace_id: string | null;
  location: Generated<string>;
}

export interface IncidentsTable {
  id: Generated<number>;
  fingerprint: string;
  title: string;
  service: string | null;
  severity: string;
  labels: JsonText;
  /** open | acknowledged | mitigating | resolved | verifying | closed | reopened */
  status: string;
  /** alert | monitor | rule | manual | import */
  source: string;
  alert_name: string | null;
  /** The values of the `incidents.group_by` labels, joined: alerts of the same group join this incident. */
  group_key: string | null;
  /** The incident this one is a symptom of (a dependency's outage). */
  parent_id: number | null;
  cause: string | null;
  started_at: Millis | null;
  detected_at: Millis | null;
  acknowledged_at: Millis | null;
  diagnosed_at: Millis | null;
  resolved_at: Millis | null;
  verified_at: Millis | null;
  closed_at: Millis | null;
  /** Phase durations, derived from the timeline and stored for fast reports. */
  detect_ms: number | null;
  diagnose_ms: number | null;
  resolve_ms: number | null;
  verify_ms: number | null;
  mttr_ms: number | null;
  reopen_count: Generated<number>;
  /** The id in the system an imported incident came from. */
  external_id: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface IncidentEventsTable {
  id: Generated<number>;
  incident_id: number;
  /** When it happened (may be earlier than created_at, e.g. an alert's startsAt). */
  at: Millis;
  actor: string;
  type: string;
  payload: JsonText;
  created_at: Millis;
}

export interface AlertsTable {
  id: Generated<number>;
  incident_id: number | null;
  fingerprint: string;
  /** alertmanager | webhook | pagerduty | monitor | rule */
  source: string;
  name: string;
  service: string | null;
  severity: string;
  /** firing | resolved | suppressed */
  status: string;
  labels: JsonText;
  annotations: JsonText;
  starts_at: Millis;
  ends_at: Millis | null;
  received_at: Millis;
  generator_url: string | null;
  group_key: string | null;
  silence_id: number | null;
}

export interface DeploymentsTable {
  id: Generated<number>;
  service: string;
  version: string;
  commit_sha: string | null;
  url: string | null;
  actor: string;
  rollback: Bool;
  deployed_at: Millis;
  metadata: JsonText;
}

export interface RemediationAttemptsTable {
  id: Generated<number>;
  incident_id: number;
  rule_name: string;
  /** 1, 2, … per incident and rule; unique, so the limit holds across workers and restarts. */
  attempt: number;
  action_type: string;
  /** awaiting_approval | approved | rejected | expired | running | succeeded | failed | dry_run | skipped */
  status: string;
  dry_run: Generated<Bool>;
  requested_at: Millis;
  started_at: Millis | null;
  finished_at: Millis | null;
  decided_by: string | null;
  output: string | null;
  error: string | null;
  /** The resolve.remediate job that drives this attempt (approving or rejecting wakes it). */
  job_id: number | null;
  /** The firing alert that triggered the rule; checked to still fire before the action runs. */
  alert_name: string | null;
  fingerprint: string | null;
  /** When a pending approval expires. */
  expires_at: Millis | null;
  duration_ms: number | null;
  /** The action's structured outcome (exit code, HTTP status, replicas, …). */
  details: JsonText | null;
}

export interface FlagsTable {
  key: string;
  /** The flag's definition (type, variants, rules, …) as the config or API last set it. */
  definition: JsonText;
  enabled: Bool;
  /** Fraction 0..1. */
  rollout: number;
  /** Hash of the flag's config entry: when the config changes it, the config wins again. */
  config_hash: string | null;
  /** Who made the last change: config | api | cli | remediation */
  updated_by_source: string;
  version: Generated<number>;
  updated_at: Millis;
}

export interface FlagChangesTable {
  id: Generated<number>;
  flag_key: string;
  at: Millis;
  actor: string;
  reason: string;
  incident_id: number | null;
  before: JsonText;
  after: JsonText;
}

export interface SilencesTable {
  id: Generated<number>;
  matchers: JsonText;
  starts_at: Millis;
  ends_at: Millis;
  comment: string;
  created_by: string;
  /** config | api */
  source: string;
  created_at: Millis;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  incident_id: number | null;
  payload: JsonText;
  /** pending | running | done | failed */
  status: string;
  run_at: Millis;
  attempts: Generated<number>;
  max_attempts: number;
  lease_owner: string | null;
  lease_until: Millis | null;
  /** Stamped by each claim; an outcome is written only while the row still carries it (see 013). */
  lease_token: string | null;
  /** At most one job per key, ever: enqueueing the same key twice is a no-op. */
  idempotency_key: string | null;
  /** Jobs of one key run one at a time, in the order they were enqueued (see 016). */
  sequence_key: string | null;
  last_error: string | null;
  created_at: Millis;
  updated_at: Millis;
  finished_at: Millis | null;
}

export interface NotificationAttemptsTable {
  id: Generated<number>;
  job_id: number;
  incident_id: number | null;
  channel: string;
  event: string;
  attempt: number;
  at: Millis;
  /** ok | retryable | permanent */
  outcome: string;
  status: number | null;
  reason: string | null;
  idempotency_key: string;
}

export interface AlertStatesTable {
  fingerprint: string;
  incident_id: number | null;
  /** firing | resolved | acknowledged | suppressed */
  status: string;
  starts_at: Millis;
  updated_at: Millis;
}

/** Secrets Medic makes for itself (the key that signs acknowledge links), one row per purpose. */
export interface MedicSecretsTable {
  name: string;
  value: string;
  created_at: Millis;
}

/** Acknowledge links that were used: each works once. */
export interface AckLinksUsedTable {
  /** `<incident id>.<paged event id>`: what the link names. */
  link: string;
  incident_id: number;
  used_at: Millis;
  used_by: string;
}

export interface Database {
  api_tokens: ApiTokensTable;
  monitors: MonitorsTable;
  monitor_schedule: MonitorScheduleTable;
  check_results: CheckResultsTable;
  check_rollups: CheckRollupsTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  alerts: AlertsTable;
  alert_states: AlertStatesTable;
  deployments: DeploymentsTable;
  remediation_attempts: RemediationAttemptsTable;
  flags: FlagsTable;
  flag_changes: FlagChangesTable;
  silences: SilencesTable;
  jobs: JobsTable;
  notification_attempts: NotificationAttemptsTable;
  medic_secrets: MedicSecretsTable;
  ack_links_used: AckLinksUsedTable;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;
/** Re-exported so callers can type computed columns without importing kysely. */
export type { ColumnType };
