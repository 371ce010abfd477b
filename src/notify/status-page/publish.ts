import type { StatusPageConfig } from '../../config/index.js';
import { addPublicUpdate, IncidentActionError, type IncidentContext, type Incident, type PublicUpdateInput } from '../../incidents/index.js';

/**
 * A responder's public update, from the API, the CLI or the incident page: refused (409) when there is
 * no status page to show it on, or when the incident is not on it; otherwise appended to the incident's
 * timeline by the incident core.
 */
export function publishUpdate(incidents: IncidentContext, page: StatusPageConfig | undefined, id: number, update: PublicUpdateInput, actor: string): Promise<Incident> {
  if (!page) return Promise.reject(new IncidentActionError('conflict', 'there is no status page: add a status_page: section to medic.yaml'));
  return addPublicUpdate(incidents, id, update, actor, page.services);
}
