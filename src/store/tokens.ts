import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../config/index.js';
import type { Db } from './store.js';

/**
 * API tokens. Only a SHA-256 hash is stored: the token itself is shown once, when created. Tokens are
 * long random strings, so a fast unsalted hash is enough (there is nothing to brute-force).
 */

export const TOKEN_PREFIX = 'mdk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export interface TokenInfo {
  id: number;
  name: string;
  role: Role;
  source: string;
  createdAt: number;
  lastUsedAt: number | null;
}

const toInfo = (r: { id: number; name: string; role: string; source: string; created_at: number; last_used_at: number | null }): TokenInfo => ({
  id: Number(r.id),
  name: r.name,
  role: r.role as Role,
  source: r.source,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export async function createToken(db: Db, input: { name: string; role: Role; source: string; token?: string }, now: number) {
  const token = input.token ?? generateToken();
  const row = await db
    .insertInto('api_tokens')
    .values({ name: input.name, role: input.role, source: input.source, token_hash: hashToken(token), created_at: now })
    .returning(['id', 'name', 'role', 'source', 'created_at', 'last_used_at'])
    .executeTakeFirstOrThrow();
  return { token, info: toInfo(row) };
}

export async function findToken(db: Db, token: string): Promise<TokenInfo | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'source', 'created_at', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row ? toInfo(row) : undefined;
}

export async function touchToken(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function listTokens(db: Db): Promise<TokenInfo[]> {
  const rows = await db.selectFrom('api_tokens').select(['id', 'name', 'role', 'source', 'created_at', 'last_used_at']).orderBy('id').execute();
  return rows.map(toInfo);
}

export async function deleteToken(db: Db, id: number): Promise<boolean> {
  const r = await db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** A token by id, with the hash stream tickets are signed with (see server/stream-ticket.ts). */
export async function findTokenById(db: Db, id: number): Promise<{ info: TokenInfo; hash: string } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'source', 'created_at', 'last_used_at', 'token_hash'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { info: toInfo(row), hash: row.token_hash } : undefined;
}

export interface TokenSync {
  added: string[];
  changed: string[];
  /** Config tokens that are no longer in the config: deleted, so they stop working. */
  revoked: string[];
}

/**
 * Makes the config's `auth.tokens` the set of config-sourced tokens: new ones added, changed ones
 * updated in place (the token never stops working while its role or name changes), removed ones
 * deleted — at start and at every reload, so a token taken out of medic.yaml is revoked without a
 * restart. Tokens created by the CLI or API are left alone. Every statement is idempotent, so processes
 * that reload the same file at once end in the same state.
 */
export async function syncConfigTokens(db: Db, tokens: { name: string; role: Role; token: string }[], now: number): Promise<TokenSync> {
  const summary: TokenSync = { added: [], changed: [], revoked: [] };
  const existing = await db.selectFrom('api_tokens').select(['id', 'token_hash', 'role', 'name']).where('source', '=', 'config').execute();
  const wanted = new Map(tokens.map((t) => [hashToken(t.token), t]));
  for (const row of existing) {
    const want = wanted.get(row.token_hash);
    wanted.delete(row.token_hash);
    if (!want) {
      await db.deleteFrom('api_tokens').where('id', '=', row.id).execute();
      summary.revoked.push(row.name);
    } else if (want.role !== row.role || want.name !== row.name) {
      await db.updateTable('api_tokens').set({ name: want.name, role: want.role }).where('id', '=', row.id).execute();
      summary.changed.push(want.name);
    }
  }
  for (const t of wanted.values()) {
    await db
      .insertInto('api_tokens')
      .values({ name: t.name, role: t.role, source: 'config', token_hash: hashToken(t.token), created_at: now })
      .onConflict((oc) => oc.column('token_hash').doUpdateSet({ name: t.name, role: t.role, source: 'config' }))
      .execute();
    summary.added.push(t.name);
  }
  return summary;
}
