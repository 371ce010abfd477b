import { ALERT_LIMITS } from '../../incidents/limits.js';
import { cutText, stripControls } from '../../shared/text.js';

/**
 * The environment runbook commands and remediation scripts run with. Alert data (service, labels, …)
 * reaches a command only here, as environment variables, never as command text: a label value such as
 * `$(touch /tmp/x)` is then just a string the command may read as "$MEDIC_LABEL_X".
 *
 * Only a few variables of Medic's own environment are passed on: the rest may hold the secrets the
 * config was substituted from (`${DB_PASSWORD}`), which commands have no business seeing.
 */

/** The incident fields a command may see. */
export interface IncidentRef {
  id: number;
  service: string | null;
  alertName: string | null;
  severity: string;
  labels: Record<string, string>;
}

export const INHERITED_VARIABLES = ['PATH', 'HOME', 'LANG'] as const;

/** Used when Medic itself runs without PATH (some init systems), so `sh -c "grep …"` still works. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `MEDIC_LABEL_<NAME>`: the label name upper-cased, anything but A-Z, 0-9 and _ turned into _. */
export function labelVariable(label: string): string {
  return `MEDIC_LABEL_${label.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

/**
 * What a command's environment may hold. execve refuses (E2BIG) one string over 128 KiB and an
 * environment over a share of the stack limit, and then the runbook or fix does not start at all. Ingest
 * already bounds labels (incidents/limits.ts); these hold whatever an incident stored earlier has.
 */
export const ENV_LIMITS = {
  /** Characters of each MEDIC_* value; longer ones are cut with a marker. */
  valueLength: ALERT_LIMITS.labelValueLength,
  /** Bytes of all MEDIC_LABEL_* variables together; labels past it are left out and counted in MEDIC_LABELS_OMITTED. */
  labelBytes: 96 * 1024,
} as const;

/** A NUL byte cannot be passed in an environment variable: controls are dropped, and the value bounded. */
function clean(value: string): string {
  return cutText(stripControls(value), ENV_LIMITS.valueLength);
}

/** Bytes a variable takes in the environment block: NAME=value and a NUL. */
const entryBytes = (name: string, value: string) => Buffer.byteLength(name) + Buffer.byteLength(value) + 2;

/** The MEDIC_* variables of an incident. */
export function incidentVariables(incident: IncidentRef): Record<string, string> {
  const vars: Record<string, string> = {
    MEDIC_INCIDENT_ID: String(incident.id),
    MEDIC_SERVICE: clean(incident.service ?? ''),
    MEDIC_ALERT_NAME: clean(incident.alertName ?? ''),
    MEDIC_SEVERITY: clean(incident.severity),
  };
  // Labels whose names collide after normalization (`pod-name`, `pod_name`): the one already spelled
  // as a valid name wins, then the first seen, so the result does not depend on the sender's quirks.
  const entries = Object.entries(incident.labels).sort(([a], [b]) => Number(!/^[A-Za-z0-9_]+$/.test(a)) - Number(!/^[A-Za-z0-9_]+$/.test(b)));
  const labelVars: Record<string, string> = {};
  const seen = new Set<string>();
  let bytes = 0;
  let omitted = 0;
  for (const [name, value] of entries) {
    const key = labelVariable(name);
    if (seen.has(key)) continue;
    seen.add(key);
    const text = clean(String(value));
    const size = entryBytes(key, text);
    if (bytes + size > ENV_LIMITS.labelBytes) {
      omitted++;
      continue;
    }
    labelVars[key] = text;
    bytes += size;
  }
  if (omitted > 0) vars.MEDIC_LABELS_OMITTED = String(omitted);
  return { ...labelVars, ...vars };
}

/** The whole environment for a command run on behalf of an incident. */
export function buildIncidentEnv(incident: IncidentRef, inherited: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH };
  for (const name of INHERITED_VARIABLES) {
    const value = inherited[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return { ...env, ...incidentVariables(incident) };
}
