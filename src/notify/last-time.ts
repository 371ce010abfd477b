import { formatDuration } from '../config/index.js';
import type { SimilarIncident } from '../incidents/index.js';
import { clip, oneLine } from '../shared/text.js';

/**
 * "Last time this happened" in one line, for an incident's first notification: when the closest earlier
 * incident like it was (incidents/similar.ts orders them: same fingerprint first, then most recent),
 * how long it took, its recorded cause and what fixed it. The first of them that recorded a cause or a
 * fix is the one told, since that is what the responder can act on; else the closest, saying nothing
 * was recorded.
 */

/** Cause and fix are free text of a responder's: one line each, and not a page of it. */
const MAX_PART = 200;
const part = (s: string) => clip(oneLine(s), MAX_PART);

export function lastTimeLine(similar: readonly SimilarIncident[]): string | undefined {
  const told = similar.find((s) => s.cause !== null || s.fix !== null) ?? similar[0];
  if (!told) return undefined;
  const when = told.startedAt === null ? '' : `, ${new Date(told.startedAt).toISOString().slice(0, 10)}`;
  const took = told.mttrMs === null ? '' : `, MTTR ${formatDuration(told.mttrMs)}`;
  const said = [told.cause !== null ? `cause: ${part(told.cause)}` : undefined, told.fix !== null ? `fixed by: ${part(told.fix)}` : undefined].filter(Boolean);
  return `Last time (#${told.id}${when}${took}): ${said.length > 0 ? said.join('; ') : 'no cause or fix was recorded'}`;
}
