import type { Db } from '../../store/index.js';
import { toFlagChange, toFlagRecord, type FlagChange, type FlagRecord } from './records.js';

/** Read side of flags for the API and the CLI: the live state from the database, with the changes behind it. */

export interface FlagSummary {
  key: string;
  description: string | null;
  type: string | null;
  service: string | null;
  owner: string | null;
  enabled: boolean;
  rollout: number;
  version: number;
  /** Who made the last change: config, api, cli or remediation. */
  source: string;
  updatedAt: number;
  /** Why the stored definition cannot be evaluated (it answers PARSE_ERROR), if it cannot. */
  error: string | null;
  lastChange: FlagChange | null;
}

export interface FlagDetails extends FlagSummary {
  variants: Record<string, unknown>;
  defaultVariant: string;
  offVariant: string;
  rules: { when: string; variant: string | null; rollout: number | null }[];
  /** What medic.yaml says; the live state above wins until the config entry changes. */
  configured: { enabled: boolean; rollout: number } | null;
  /** Newest first. */
  changes: FlagChange[];
}

function summary(f: FlagRecord, lastChange: FlagChange | null): FlagSummary {
  return {
    key: f.key,
    description: f.config?.description ?? null,
    type: f.config?.type ?? null,
    service: f.config?.service ?? null,
    owner: f.config?.owner ?? null,
    enabled: f.enabled,
    rollout: f.rollout,
    version: f.version,
    source: f.source,
    updatedAt: f.updatedAt,
    error: f.definitionError ?? null,
    lastChange,
  };
}

export async function listFlags(db: Db): Promise<FlagSummary[]> {
  const [rows, last] = await Promise.all([
    db.selectFrom('flags').selectAll().orderBy('key').execute(),
    db
      .selectFrom('flag_changes')
      .selectAll()
      .where('id', 'in', (eb) => eb.selectFrom('flag_changes').select((e) => e.fn.max('id').as('id')).groupBy('flag_key'))
      .execute(),
  ]);
  const lastByKey = new Map(last.map((r) => [r.flag_key, toFlagChange(r)]));
  return rows.map((r) => summary(toFlagRecord(r), lastByKey.get(r.key) ?? null));
}

export async function flagDetails(db: Db, key: string, options: { changes?: number } = {}): Promise<FlagDetails | undefined> {
  const row = await db.selectFrom('flags').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  const changes = (
    await db
      .selectFrom('flag_changes')
      .selectAll()
      .where('flag_key', '=', key)
      .orderBy('id', 'desc')
      .limit(options.changes ?? 20)
      .execute()
  ).map(toFlagChange);
  const f = toFlagRecord(row);
  const c = f.config;
  return {
    ...summary(f, changes[0] ?? null),
    variants: c ? (c.variants ?? (c.type === 'boolean' ? { on: true, off: false } : {})) : {},
    defaultVariant: c?.default_variant ?? 'on',
    offVariant: c?.off_variant ?? 'off',
    rules: (c?.rules ?? []).map((r) => ({ when: r.when.source, variant: r.variant ?? null, rollout: r.rollout ?? null })),
    configured: c ? { enabled: c.enabled, rollout: c.rollout } : null,
    changes,
  };
}
