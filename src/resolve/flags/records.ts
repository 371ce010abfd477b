import { z } from 'zod';
import type { FlagConfig } from '../../config/schema/flags.js';
import { fromJson, type Row } from '../../store/index.js';
import { parseFlagDefinition } from './definition.js';

/**
 * Flags and their changes as the rest of Medic sees them: the `flags` and `flag_changes` rows, decoded.
 * A row's definition is the medic.yaml entry it came from; `enabled` and `rollout` are the live state,
 * which an API call, the CLI or a remediation may have moved away from the config's.
 */

/** Who made a change: medic.yaml (at start), a responder through the API or the CLI, or a remediation rule. */
export type FlagSource = 'config' | 'api' | 'cli' | 'remediation';

/** What every view of a flag change shows (the flags API, the command center): which, when, who, why. */
export const flagChangeFields = z.object({
  id: z.number(),
  key: z.string(),
  at: z.number(),
  actor: z.string(),
  reason: z.string(),
  incidentId: z.number().nullable(),
});

/** The part of a flag a change is about, as `flag_changes.before/after` record it. */
export interface FlagLiveState {
  enabled: boolean;
  rollout: number;
  version: number;
  source: string;
  /** The medic.yaml entry, only on changes that replaced it (config sync). */
  definition?: unknown;
}

export interface FlagRecord {
  key: string;
  /** The definition, or why the stored one cannot be read (it then evaluates to PARSE_ERROR). */
  config: FlagConfig | undefined;
  definitionError: string | undefined;
  enabled: boolean;
  rollout: number;
  version: number;
  /** Who made the last change (`config`, `api`, `cli`, `remediation`). */
  source: string;
  configHash: string | null;
  updatedAt: number;
}

export interface FlagChange {
  id: number;
  key: string;
  at: number;
  actor: string;
  reason: string;
  incidentId: number | null;
  /** null: the flag did not exist yet. */
  before: FlagLiveState | null;
  /** null: the flag was removed. */
  after: FlagLiveState | null;
}

export function toFlagRecord(row: Row<'flags'>): FlagRecord {
  const parsed = parseFlagDefinition(row.key, row.definition);
  return {
    key: row.key,
    config: parsed.ok ? parsed.config : undefined,
    definitionError: parsed.ok ? undefined : parsed.error.errorDetails,
    enabled: row.enabled === 1,
    rollout: row.rollout,
    version: row.version,
    source: row.updated_by_source,
    configHash: row.config_hash,
    updatedAt: row.updated_at,
  };
}

export function toFlagChange(row: Row<'flag_changes'>): FlagChange {
  return {
    id: Number(row.id),
    key: row.flag_key,
    at: row.at,
    actor: row.actor,
    reason: row.reason,
    incidentId: row.incident_id === null ? null : Number(row.incident_id),
    before: fromJson<FlagLiveState | null>(row.before, null),
    after: fromJson<FlagLiveState | null>(row.after, null),
  };
}

/** The service a stored definition belongs to, even when the rest of it no longer parses. */
export function serviceOfDefinition(definition: string): string | undefined {
  const service = fromJson<{ service?: unknown }>(definition, {}).service;
  return typeof service === 'string' ? service : undefined;
}
