import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../store/index.js';

/**
 * Acknowledge links: every page carries one, so the person paged can acknowledge from their phone
 * without signing in. A link names the incident and the `paged` event it was sent for, and when it
 * expires, signed with HMAC-SHA256 under a key Medic makes once and keeps in its database (never an API
 * token: a link in a mailbox must not open anything else). It works once: using it is recorded
 * (ack_links_used), and a used, expired or altered link shows why it does not work.
 */

const KEY_NAME = 'ack_link';
const PURPOSE = 'medic-ack';

export interface AckLinkClaims {
  incidentId: number;
  eventId: number;
  expiresAt: number;
  /** What ack_links_used records: the incident and the page. */
  id: string;
}

/** The signing key, made on first use; every process on the database reads the same one. */
export async function ackLinkKey(db: Db, now: number): Promise<Buffer> {
  const existing = await db.selectFrom('medic_secrets').select('value').where('name', '=', KEY_NAME).executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'base64url');
  await db.insertInto('medic_secrets').values({ name: KEY_NAME, value: randomBytes(32).toString('base64url'), created_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('medic_secrets').select('value').where('name', '=', KEY_NAME).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}

function signature(key: Buffer, incidentId: number, eventId: number, expiresAt: number): Buffer {
  return createHmac('sha256', key).update(`${PURPOSE}:${incidentId}:${eventId}:${expiresAt}`).digest();
}

export function signAckLink(key: Buffer, claims: { incidentId: number; eventId: number; expiresAt: number }): string {
  const { incidentId, eventId, expiresAt } = claims;
  return `${incidentId}.${eventId}.${expiresAt}.${signature(key, incidentId, eventId, expiresAt).toString('base64url')}`;
}

/** The link's claims when it is well formed and signed with `key`; 'expired' past its time; else 'invalid'. */
export function readAckLink(key: Buffer, token: string, now: number): AckLinkClaims | 'expired' | 'invalid' {
  const m = /^(\d{1,15})\.(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return 'invalid';
  const [incidentId, eventId, expiresAt] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const given = Buffer.from(m[4]!, 'base64url');
  const expected = signature(key, incidentId, eventId, expiresAt);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  if (now >= expiresAt) return 'expired';
  return { incidentId, eventId, expiresAt, id: `${incidentId}.${eventId}` };
}

/** The link people open: `<public url>/ack/<token>`. */
export function ackLinkUrl(baseUrl: string, token: string): string {
  return new URL(`ack/${token}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
}
