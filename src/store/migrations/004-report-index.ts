import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * A covering index for the MTTR report: the recovered incidents' detection time, filters and phase
 * durations, so a report reads this narrow index instead of every incident row with its title, labels
 * and fingerprint. Partial, so incidents still open cost nothing, and leading with detected_at, so a
 * report over a date range reads only that range.
 */
export async function up(db: Kysely<unknown>, _dialect: StoreDialect): Promise<void> {
  await db.schema
    .createIndex('incidents_report')
    .on('incidents')
    .columns(['detected_at', 'service', 'severity', 'mttr_ms', 'detect_ms', 'diagnose_ms', 'resolve_ms', 'verify_ms', 'resolved_at'])
    .where(sql.ref('mttr_ms'), 'is not', null)
    .execute();
}
