import { derivePhases, type PhaseTimestamps } from '../../src/incidents/phases.js';
import type { NewRow, Store } from '../../src/store/index.js';

export const MINUTE = 60_000;

export interface IncidentSpec {
  /** When the incident was detected (ISO 8601, UTC). */
  detected: string;
  /** Phase lengths in minutes; a phase left out has no timestamp of its own (null), as DESIGN.md defines. */
  detect?: number;
  diagnose?: number | null;
  resolve?: number | null;
  verify?: number | null;
  service?: string;
  severity?: string;
  /** Minutes from detection to acknowledgement (none: nobody acknowledged). */
  acknowledge?: number;
}

let sequence = 0;

/** Timestamps from phase lengths: started = detected − detect, then each phase's end after the previous one. */
export function timestamps(spec: IncidentSpec): PhaseTimestamps {
  const detected = Date.parse(spec.detected);
  let cursor = detected;
  const after = (minutes: number | null | undefined) => {
    if (minutes === null || minutes === undefined) return null;
    cursor += Math.round(minutes * MINUTE);
    return cursor;
  };
  return {
    started_at: detected - Math.round((spec.detect ?? 0) * MINUTE),
    detected_at: detected,
    diagnosed_at: after(spec.diagnose),
    resolved_at: after(spec.resolve),
    verified_at: after(spec.verify),
  };
}

export function incidentRow(spec: IncidentSpec): NewRow<'incidents'> {
  const t = timestamps(spec);
  const n = ++sequence;
  return {
    fingerprint: `fp-${n}`,
    title: `incident ${n}`,
    service: spec.service ?? 'checkout',
    severity: spec.severity ?? 'P2',
    labels: '{}',
    status: t.resolved_at === null && t.verified_at === null ? 'open' : 'closed',
    source: 'import',
    reopen_count: 0,
    ...t,
    // Stored durations come from the one derivation Medic uses everywhere.
    ...derivePhases(t),
    acknowledged_at: spec.acknowledge === undefined ? null : t.detected_at! + Math.round(spec.acknowledge * MINUTE),
    created_at: t.detected_at!,
    updated_at: t.detected_at!,
  };
}

export async function insertIncidents(store: Store, specs: IncidentSpec[]): Promise<void> {
  for (let i = 0; i < specs.length; i += 500) await store.db.insertInto('incidents').values(specs.slice(i, i + 500).map(incidentRow)).execute();
}
