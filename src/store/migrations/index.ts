import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import * as m001 from './001-initial.js';
import * as m002 from './002-incident-groups.js';
import * as m003 from './003-notification-attempts.js';
import * as m004 from './004-report-index.js';
import * as m006 from './006-remediation-attempts.js';
import * as m009 from './009-alert-states.js';
import * as m010 from './010-monitor-schedule.js';
import * as m011 from './011-command-center.js';
import * as m012 from './012-lease-tokens.js';
import * as m013 from './013-oncall.js';
import * as m014 from './014-similar-incidents.js';
import * as m015 from './015-command-center-counts.js';
import * as m016 from './016-job-sequences.js';

/**
 * Migrations, in order. One list for both engines: a migration asks the dialect for what differs.
 * Never edit a migration that has shipped; add the next one.
 */
const MIGRATIONS: Record<string, { up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> }> = {
  '001-initial': m001,
  '002-incident-groups': m002,
  '003-notification-attempts': m003,
  '004-report-index': m004,
  '006-remediation-attempts': m006,
  '009-alert-states': m009,
  '010-monitor-schedule': m010,
  '011-command-center': m011,
  '012-lease-tokens': m012,
  '013-oncall': m013,
  '014-similar-incidents': m014,
  '015-command-center-counts': m015,
  '016-job-sequences': m016,
};

export class MedicMigrations implements MigrationProvider {
  constructor(private readonly dialect: StoreDialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(MIGRATIONS)) out[name] = { up: (db) => m.up(db, this.dialect) };
    return out;
  }
}
