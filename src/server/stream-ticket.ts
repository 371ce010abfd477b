import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stream tickets. A browser's EventSource cannot send headers, and a token must never ride in a URL
 * (proxies, access logs and browser history keep URLs). So the dashboard asks for a ticket with its
 * token (`POST /api/stream/ticket`, bearer header) and opens `/api/stream?ticket=…`.
 *
 * A ticket opens the event stream and nothing else, only for STREAM_TICKET_MS. It names its token's id
 * and an expiry, signed (HMAC-SHA256) with the token's stored hash: any Medic process on the same
 * database can check it without shared state, and it dies with its token (a deleted token has no hash
 * to check against). Knowing the hash already means reading the database, which holds more than a
 * stream of "something changed" events.
 */

export const STREAM_TICKET_MS = 30_000;

const PURPOSE = 'medic-stream';

function signature(tokenId: number, expiresAt: number, tokenHash: string): Buffer {
  return createHmac('sha256', tokenHash).update(`${PURPOSE}:${tokenId}:${expiresAt}`).digest();
}

export function mintStreamTicket(tokenId: number, tokenHash: string, now: number): { ticket: string; expiresAt: number } {
  const expiresAt = now + STREAM_TICKET_MS;
  return { ticket: `${tokenId}.${expiresAt}.${signature(tokenId, expiresAt, tokenHash).toString('base64url')}`, expiresAt };
}

export interface StreamTicket {
  tokenId: number;
  /** Whether the ticket was signed with this token hash. */
  signedWith(tokenHash: string): boolean;
}

/** The ticket's claims when it is well-formed and not expired (its signature is checked against the token's hash). */
export function readStreamTicket(ticket: string, now: number): StreamTicket | undefined {
  const m = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
  if (!m) return undefined;
  const tokenId = Number(m[1]);
  const expiresAt = Number(m[2]);
  // Expired, or claiming a longer life than any ticket gets.
  if (expiresAt <= now || expiresAt > now + STREAM_TICKET_MS) return undefined;
  const given = Buffer.from(m[3]!, 'base64url');
  return {
    tokenId,
    signedWith: (tokenHash) => {
      const expected = signature(tokenId, expiresAt, tokenHash);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
