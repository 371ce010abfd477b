import type { IncomingAlert } from '../alert.js';
import type { Rung } from './rung.js';

/** The group an alert belongs to: the values of the `incidents.group_by` labels. */
export function groupKeyOf(alert: Pick<IncomingAlert, 'labels' | 'service'>, groupBy: string[]): string {
  return groupBy.map((label) => `${label}=${label === 'service' ? (alert.service ?? alert.labels.service ?? '') : (alert.labels[label] ?? '')}`).join(',');
}

/** 3. An active incident of the alert's group was detected within `group_window`: the alert joins it. */
export const group: Rung = async (batch, alert) => {
  const incident = await batch.groupIncident(groupKeyOf(alert, batch.ctx.config.incidents.group_by));
  return incident ? batch.join(alert, batch.current(incident), 'grouped') : undefined;
};
