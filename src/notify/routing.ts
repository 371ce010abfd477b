import type { ChannelConfig, LabelMatchers, NotifyEvent, RouteConfig, Severity } from '../config/index.js';
import { atLeast } from '../incidents/severity.js';

/**
 * Which channels hear about an incident event. Pure: config and incident in, channel names out.
 *
 *   1. the explicit `notify:` lists of whatever caused the event (the monitor, the alert rule, the
 *      remediation rule), in order;
 *   2. then `routes:` in order: a route matches when every label matcher matches and the incident is at
 *      least `min_severity`; a matching route adds its channels and ends the walk unless `continue: true`;
 *   3. each channel keeps only the events in its `events:` list (all when absent);
 *
 * each channel at most once, in the order first named. A name that is not a configured channel is dropped:
 * the config loader already refuses such names where it can check them.
 */

export interface RoutableIncident {
  service: string | null;
  severity: Severity;
  labels: Record<string, string>;
}

export interface RoutingConfig {
  notifications: readonly ChannelConfig[];
  routes: readonly RouteConfig[];
}

export interface RoutingInput {
  event: NotifyEvent;
  incident: RoutableIncident;
  /** `notify:` lists of the monitor, alert rule or remediation rule behind the event. */
  notify?: readonly (readonly string[] | undefined)[];
}

export function routeNotification(input: RoutingInput, config: RoutingConfig): string[] {
  const candidates: string[] = [];
  for (const list of input.notify ?? []) candidates.push(...(list ?? []));
  for (const route of config.routes) {
    if (!routeMatches(route, input.incident)) continue;
    candidates.push(...route.notify);
    if (!route.continue) break;
  }
  const byName = new Map(config.notifications.map((c) => [c.name, c]));
  const out: string[] = [];
  for (const name of candidates) {
    const channel = byName.get(name);
    if (!channel || out.includes(name)) continue;
    if (channel.events && !channel.events.includes(input.event)) continue;
    out.push(name);
  }
  return out;
}

export function routeMatches(route: Pick<RouteConfig, 'match' | 'min_severity'>, incident: RoutableIncident): boolean {
  if (route.min_severity && !atLeast(incident.severity, route.min_severity)) return false;
  return labelsMatch(route.match, incident);
}

/**
 * Every matcher must match. `service` and `severity` are the incident's own (severity as P1–P4), other
 * keys its labels; a missing label is the empty string, as in Alertmanager, so `team: ""` matches
 * incidents without a team. A value in slashes is a regular expression over the whole value.
 */
export function labelsMatch(matchers: LabelMatchers, incident: RoutableIncident): boolean {
  for (const [key, expected] of Object.entries(matchers)) {
    const actual = key === 'service' ? (incident.service ?? incident.labels.service ?? '') : key === 'severity' ? incident.severity : (incident.labels[key] ?? '');
    if (!valueMatches(expected, actual)) return false;
  }
  return true;
}

const compiled = new Map<string, RegExp>();

function valueMatches(expected: string, actual: string): boolean {
  if (expected.length > 1 && expected.startsWith('/') && expected.endsWith('/')) {
    let re = compiled.get(expected);
    if (!re) {
      // The config schema checked the expression; anchored so /pay/ does not match "repayments".
      re = new RegExp(`^(?:${expected.slice(1, -1)})$`);
      compiled.set(expected, re);
    }
    return re.test(actual);
  }
  return expected === actual;
}
