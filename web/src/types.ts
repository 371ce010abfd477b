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

/** A check run, as GET /api/monitors/:id/results answers (newest first). */
export interface CheckResult {
  started_at: number;
  duration_ms: number;
  status: 'up' | 'degraded' | 'down';
  error: string | null;
  timings: Record<string, number>;
  /** The assertions, per step for a journey. */
  details: Assertion[];
  trace_id: string | null;
  trace_url: string | null;
  location: string;
}

export interface Assertion {
  name: string;
  pass: boolean;
  expected?: unknown;
  actual?: unknown;
  step?: string | number;
}

export interface MonitorSummary {
  id: number;
  name: string;
  service: string | null;
  type: string;
  status: string;
  enabled: boolean;
  last_run_at: number | null;
  last_result: Pick<CheckResult, 'started_at' | 'duration_ms' | 'status' | 'error' | 'trace_id' | 'trace_url'> | null;
  /** Fractions 0..1. */
  uptime: { '24h': number | null; '7d': number | null; '30d': number | null };
  /** Milliseconds, over the last 24 h. */
  latency: { p50: number | null; p95: number | null };
  incident_id: number | null;
}

/** GET /api/reports/mttr (durations in minutes). */
export interface PhaseStats {
  mean: number | null;
  median: number | null;
  share: number | null;
}
export interface PeriodStats {
  period: string;
  start: number | null;
  end: number | null;
  incidents: number;
  mttr: { mean: number | null; median: number | null; p90: number | null; max: number | null };
  phases: Record<'detect' | 'diagnose' | 'resolve' | 'verify', PhaseStats>;
  resolvedMinusDetected: { incidents: number; mean: number | null; median: number | null };
}
export interface MttrSummary {
  report: { by: 'month' | 'week'; periods: PeriodStats[]; total: PeriodStats };
  maturity: {
    level: string | null;
    medianMinutes: number | null;
    incidents: number;
    previous: { medianMinutes: number | null; incidents: number } | null;
    trend: 'improving' | 'worsening' | 'flat' | null;
  };
  bottleneck: { phase: string; share: number; meanMinutes: number | null; medianMinutes: number | null; lever: string } | null;
}

/** GET /api/reports/coverage. */
export type FailureMode = 'availability' | 'latency' | 'error_rate' | 'dependency';
export interface Coverage {
  targetMs: number;
  services: { service: string; configured: boolean; modes: Record<FailureMode, { covered: boolean; by: string[]; throughDependencies?: boolean }>; gaps: FailureMode[] }[];
  detectors: { kind: string; name: string; service: string | null; modes: FailureMode[]; worstCaseMs: number | null; slow: string | null; source: string }[];
  summary: { services: number; gaps: number; servicesWithGaps: number; slow: number; unclassified: number };
  ok: boolean;
}

/** GET /api/flags. */
export interface FlagChangeInfo {
  id: number;
  at: number;
  actor: string;
  reason: string;
  incidentId: number | null;
}
export interface Flag {
  key: string;
  description: string | null;
  service: string | null;
  owner: string | null;
  enabled: boolean;
  rollout: number;
  version: number;
  source: string;
  updatedAt: number;
  error: string | null;
  lastChange: FlagChangeInfo | null;
}
