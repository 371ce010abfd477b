import { ALERT_TYPES, type AlertType, type MedicConfig, type MonitorConfig } from '../config/index.js';
import { fromJson, type Db } from '../store/index.js';
import { alertDetectionTime, DETECTION_TARGET_MS, monitorDetectionTime, type DetectionTime } from './detection-time.js';

/**
 * Alert coverage: for every service, whether something
 * detects each failure mode — availability, latency, error_rate, dependency — and how fast.
 *
 * What covers what:
 * - a monitor covers availability, whatever its type: a run that cannot reach its target (connect, DNS,
 *   TLS handshake, a status assertion, a missing heartbeat) fails, and failed runs open an incident;
 *   a monitor with `assert_load_time_ms` (on the monitor or on any step of a journey) covers latency too;
 * - an `alerts:` entry covers its `type`;
 * - an alert Medic received from Alertmanager, a webhook or PagerDuty in the last 90 days covers the
 *   mode its labels name (`alert_type`, `type` or `failure_mode`), else the one its name suggests
 *   (see modeFromName); one that suggests none is listed as unclassified;
 * - dependency is also covered when the service `depends_on` others and every one of them has its
 *   availability covered: their outage opens an incident there, and this service's alerts join it.
 *
 * The services: those configured, plus every service a monitor, an alert rule or a received alert names.
 */

export type FailureMode = AlertType;
export const FAILURE_MODES: readonly FailureMode[] = ALERT_TYPES;

/** How long received alerts count as evidence that an alert rule exists. */
export const OBSERVED_WINDOW_MS = 90 * 86_400_000;

export interface Detector {
  kind: 'monitor' | 'alert' | 'received';
  name: string;
  service: string | null;
  modes: FailureMode[];
  /** Where it lives: a monitor's type, an alert's `source`, or what sent a received alert. */
  source: string;
  /** How a received alert's mode was read: from a label, or guessed from its name. */
  classifiedBy?: string;
  /** Worst-case time to detect (ms); null when Medic cannot know it (rules evaluated elsewhere). */
  worstCaseMs: number | null;
  parts: string[];
  /** Over the 2-minute target: the setting to change. */
  slow: string | null;
}

export interface ModeCoverage {
  covered: boolean;
  /** Names of the detectors that cover it (or of the dependencies, when covered through them). */
  by: string[];
  throughDependencies?: boolean;
}

export interface ServiceCoverage {
  service: string;
  configured: boolean;
  modes: Record<FailureMode, ModeCoverage>;
  gaps: FailureMode[];
}

export interface CoverageReport {
  targetMs: number;
  services: ServiceCoverage[];
  detectors: Detector[];
  summary: { services: number; gaps: number; servicesWithGaps: number; slow: number; unclassified: number };
  /** No gap and nothing slow: what `medic coverage --fail-on-gap` requires. */
  ok: boolean;
}

/** An alert as received (the latest of its name and service). */
export interface ReceivedAlert {
  source: string;
  name: string;
  service: string | null;
  labels: Record<string, string>;
}

const NAME_HINTS: [FailureMode, RegExp][] = [
  ['latency', /latenc|slow|duration|response.?time|p9\d|apdex|timeout/],
  ['error_rate', /error|5xx|exception|fail(ure|ed)?s?.?rate/],
  ['dependency', /depend|upstream|downstream|third.?party|external|database|\bdb\b|queue|broker/],
  ['availability', /down|unavailable|unreachable|availab|uptime|health|probe|crash|unhealthy|outage/],
];

/**
 * The failure mode a received alert covers: a label that names one, else the first of latency,
 * error_rate, dependency, availability whose words appear in its name (CamelCase split: HighLatency →
 * "high latency"). Undefined when neither says.
 */
export function modeOf(alert: Pick<ReceivedAlert, 'name' | 'labels'>): { mode: FailureMode; by: string } | undefined {
  for (const label of ['alert_type', 'type', 'failure_mode']) {
    const value = alert.labels[label]?.trim().toLowerCase().replace(/[\s-]/g, '_');
    if (value && (FAILURE_MODES as readonly string[]).includes(value)) return { mode: value as FailureMode, by: `label ${label}=${alert.labels[label]}` };
  }
  const words = alert.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.:]+/g, ' ').toLowerCase();
  for (const [mode, hint] of NAME_HINTS) if (hint.test(words)) return { mode, by: 'name' };
  return undefined;
}

function monitorModes(m: MonitorConfig): FailureMode[] {
  const latency = (m.type === 'http' && m.assert_load_time_ms !== undefined) || (m.type === 'multi-step' && m.steps.some((s) => s.assert_load_time_ms !== undefined));
  return latency ? ['availability', 'latency'] : ['availability'];
}

function timed(t: DetectionTime): Pick<Detector, 'worstCaseMs' | 'parts' | 'slow'> {
  return { worstCaseMs: t.worstCaseMs, parts: t.parts.map((p) => p.text), slow: t.fix };
}

/** The coverage of a config and the alerts received, computed without the database (see alertCoverage). */
export function analyzeCoverage(config: Pick<MedicConfig, 'services' | 'monitors' | 'alerts'>, received: readonly ReceivedAlert[]): CoverageReport {
  const detectors: Detector[] = [
    ...config.monitors.filter((m) => m.enabled).map((m): Detector => ({ kind: 'monitor', name: m.name, service: m.service ?? null, modes: monitorModes(m), source: m.type, ...timed(monitorDetectionTime(m)) })),
    ...config.alerts.map((a): Detector => ({ kind: 'alert', name: a.name, service: a.service, modes: [a.type], source: a.source, ...timed(alertDetectionTime(a)) })),
    ...received.map((a): Detector => {
      const mode = modeOf(a);
      return { kind: 'received', name: a.name, service: a.service, modes: mode ? [mode.mode] : [], source: a.source, ...(mode ? { classifiedBy: mode.by } : {}), worstCaseMs: null, parts: [], slow: null };
    }),
  ];

  const configured = new Set(config.services.map((s) => s.name));
  const names = new Set([...configured, ...detectors.map((d) => d.service).filter((s): s is string => s !== null)]);
  const dependencies = new Map(config.services.map((s) => [s.name, s.depends_on]));

  const direct = (service: string, mode: FailureMode) => detectors.filter((d) => d.service === service && d.modes.includes(mode)).map((d) => d.name);
  const services = [...names].sort().map((service): ServiceCoverage => {
    const modes = {} as Record<FailureMode, ModeCoverage>;
    for (const mode of FAILURE_MODES) {
      const by = [...new Set(direct(service, mode))];
      modes[mode] = { covered: by.length > 0, by };
    }
    const deps = dependencies.get(service) ?? [];
    if (!modes.dependency.covered && deps.length > 0 && deps.every((d) => direct(d, 'availability').length > 0)) {
      modes.dependency = { covered: true, by: deps, throughDependencies: true };
    }
    return { service, configured: configured.has(service), modes, gaps: FAILURE_MODES.filter((m) => !modes[m].covered) };
  });

  const gaps = services.reduce((n, s) => n + s.gaps.length, 0);
  const slow = detectors.filter((d) => d.slow !== null).length;
  return {
    targetMs: DETECTION_TARGET_MS,
    services,
    detectors,
    summary: {
      services: services.length,
      gaps,
      servicesWithGaps: services.filter((s) => s.gaps.length > 0).length,
      slow,
      unclassified: detectors.filter((d) => d.kind === 'received' && d.modes.length === 0).length,
    },
    ok: gaps === 0 && slow === 0,
  };
}

/**
 * Alerts received from outside (Alertmanager, webhooks, PagerDuty) since `since`: the latest delivery of
 * each name and service. Medic's own monitors and rules are read from the config instead.
 */
export async function receivedAlerts(db: Db, since: number): Promise<ReceivedAlert[]> {
  const latest = db
    .selectFrom('alerts')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('source', 'in', ['alertmanager', 'webhook', 'pagerduty'])
    .where('received_at', '>=', since)
    .groupBy(['source', 'name', 'service']);
  const rows = await db.selectFrom('alerts').select(['source', 'name', 'service', 'labels']).where('id', 'in', latest).orderBy('name').orderBy('service').execute();
  return rows.map((r) => ({ source: r.source, name: r.name, service: r.service, labels: fromJson<Record<string, string>>(r.labels, {}) }));
}

/** The coverage of a running Medic: its config, and the alerts it received in the last 90 days. */
export async function alertCoverage(db: Db, config: Pick<MedicConfig, 'services' | 'monitors' | 'alerts'>, now: number): Promise<CoverageReport> {
  return analyzeCoverage(config, await receivedAlerts(db, now - OBSERVED_WINDOW_MS));
}
