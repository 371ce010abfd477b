import { sql, type Kysely } from 'kysely';

/**
 * On-call: the key that signs acknowledge links (made once, kept in the database so every Medic process
 * on it signs and checks the same links, and never in a URL, a log or a page), and the links that were
 * used, so each works once. The report's covering index gains acknowledged_at: time to acknowledge is
 * a column of the MTTR report, which must keep reading the index alone (see 004-report-index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('medic_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ack_links_used')
    .addColumn('link', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint', (c) => c.notNull())
    .addColumn('used_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.dropIndex('incidents_report').execute();
  await db.schema
    .createIndex('incidents_report')
    .on('incidents')
    .columns(['detected_at', 'service', 'severity', 'mttr_ms', 'detect_ms', 'diagnose_ms', 'resolve_ms', 'verify_ms', 'resolved_at', 'acknowledged_at'])
    .where(sql.ref('mttr_ms'), 'is not', null)
    .execute();
}
