import type { Kysely } from 'kysely';

/**
 * On-call: the key that signs acknowledge links (made once, kept in the database so every Medic process
 * on it signs and checks the same links, and never in a URL, a log or a page), and the links that were
 * used, so each works once.
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
}
