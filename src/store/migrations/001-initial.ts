import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** The first data model (docs/ARCHITECTURE.md). Types are chosen to mean the same on SQLite and PostgreSQL. */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const table = (name: string) => dialect.addIdColumn(db.schema.createTable(name));

  await table('api_tokens')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();

  await table('monitors')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('service', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('config_hash', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consecutive_successes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', 'bigint')
    .addColumn('next_run_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_run_at', 'bigint')
    .addColumn('heartbeat_token', 'text', (c) => c.unique())
    .addColumn('last_ping_at', 'bigint')
    .addColumn('incident_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitors_due').on('monitors').columns(['enabled', 'next_run_at']).execute();

  await table('check_results')
    .addColumn('monitor_id', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('timings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('trace_id', 'text')
    .addColumn('location', 'text', (c) => c.notNull().defaultTo('default'))
    .execute();
  await db.schema.createIndex('check_results_monitor_time').on('check_results').columns(['monitor_id', 'started_at']).execute();
  await db.schema.createIndex('check_results_time').on('check_results').column('started_at').execute();

  await table('incidents')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('service', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('alert_name', 'text')
    .addColumn('parent_id', 'bigint')
    .addColumn('cause', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('detected_at', 'bigint')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('diagnosed_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('verified_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('detect_ms', 'bigint')
    .addColumn('diagnose_ms', 'bigint')
    .addColumn('resolve_ms', 'bigint')
    .addColumn('verify_ms', 'bigint')
    .addColumn('mttr_ms', 'bigint')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One incident that is not closed per fingerprint, enforced by the database so that two workers (or
  // two alerts in the same millisecond) can never open the same incident twice.
  await db.schema
    .createIndex('incidents_active_fingerprint')
    .on('incidents')
    .column('fingerprint')
    .unique()
    .where(sql.ref('status'), '<>', 'closed')
    .execute();
  await db.schema.createIndex('incidents_detected').on('incidents').column('detected_at').execute();
  await db.schema.createIndex('incidents_service_status').on('incidents').columns(['service', 'status']).execute();

  await table('incident_events')
    .addColumn('incident_id', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_events_incident').on('incident_events').columns(['incident_id', 'id']).execute();
  for (const statement of dialect.appendOnlyStatements('incident_events')) await sql.raw(statement).execute(db);

  await table('alerts')
    .addColumn('incident_id', 'bigint')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('service', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('annotations', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('generator_url', 'text')
    .addColumn('group_key', 'text')
    .addColumn('silence_id', 'bigint')
    .execute();
  await db.schema.createIndex('alerts_fingerprint').on('alerts').columns(['fingerprint', 'id']).execute();
  await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();
  await db.schema.createIndex('alerts_received').on('alerts').column('received_at').execute();

  await table('deployments')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('commit_sha', 'text')
    .addColumn('url', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('rollback', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deployed_at', 'bigint', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('deployments_service_time').on('deployments').columns(['service', 'deployed_at']).execute();

  await table('remediation_attempts')
    .addColumn('incident_id', 'bigint', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('action_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('decided_by', 'text')
    .addColumn('output', 'text')
    .addColumn('error', 'text')
    // The attempt limit holds because attempt numbers are unique per incident and rule.
    .addUniqueConstraint('remediation_attempts_once', ['incident_id', 'rule_name', 'attempt'])
    .execute();

  await db.schema
    .createTable('flags')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('rollout', 'double precision', (c) => c.notNull())
    .addColumn('config_hash', 'text')
    .addColumn('updated_by_source', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await table('flag_changes')
    .addColumn('flag_key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'bigint')
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flag_changes_time').on('flag_changes').columns(['flag_key', 'at']).execute();

  await table('silences')
    .addColumn('matchers', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await table('jobs')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'bigint')
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  await db.schema.createIndex('jobs_incident').on('jobs').column('incident_id').execute();
}
