/** Shapes the API answers with (see /api/docs for the full OpenAPI document). */
import type { Phases } from './components/phase-bar';

export interface Incident {
  id: number;
  title: string;
  service: string | null;
  severity: string;
  status: string;
  labels: Record<string, string>;
  alertName: string | null;
  cause: string | null;
  startedAt: number | null;
  detectedAt: number | null;
  acknowledgedAt: number | null;
  diagnosedAt: number | null;
  resolvedAt: number | null;
  verifiedAt: number | null;
  phases: Phases;
  reopenCount: number;
}

export interface TimelineEvent {
  id: number;
  at: number;
  actor: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface Affected {
  service: string;
  alerts: string[];
  affected: Affected[];
}

export interface IncidentDetails {
  incident: Incident;
  timeline: TimelineEvent[];
  alerts: { id: number; name: string; service: string | null; severity: string; status: string; source: string; generatorUrl: string | null }[];
  affected: Affected | null;
}
