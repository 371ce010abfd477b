import type { Incident } from '../../incidents/index.js';
import type { IncidentRef } from '../steps/index.js';

/** The incident fields a command may see, from an incident. */
export function incidentRef(incident: Pick<Incident, 'id' | 'service' | 'alertName' | 'severity' | 'labels'>): IncidentRef {
  return { id: incident.id, service: incident.service, alertName: incident.alertName, severity: incident.severity, labels: incident.labels };
}
