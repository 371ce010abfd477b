import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Every delivery attempt of a notification, successful or not: what was tried, when, and the answer. */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await dialect
    .addIdColumn(db.schema.createTable('notification_attempts'))
    .addColumn('job_id', 'bigint', (c) => c.notNull())
    .addColumn('incident_id', 'bigint')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('reason', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_attempts_incident').on('notification_attempts').columns(['incident_id', 'id']).execute();
}
