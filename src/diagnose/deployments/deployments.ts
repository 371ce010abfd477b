import { z } from 'zod';
import { fromJson, toJson, type Db, type Row } from '../../store/index.js';

/**
 * Deployments: what changed, where and when. Reported by pipelines (`POST /api/deployments`,
 * `medic deploy`) and recorded by rollbacks; read when an incident opens to name suspects.
 */

/** A recorded deployment, as the API answers it; the command center lists the same fields. */
export const deploymentSchema = z.object({
  id: z.number(),
  service: z.string(),
  version: z.string(),
  commit: z.string().nullable(),
  url: z.string().nullable(),
  actor: z.string(),
  rollback: z.boolean(),
  deployedAt: z.number(),
  metadata: z.record(z.string(), z.unknown()),
});
export type Deployment = z.infer<typeof deploymentSchema>;

export interface NewDeployment {
  service: string;
  version: string;
  commit?: string | null;
  url?: string | null;
  actor: string;
  rollback?: boolean;
  /** Default: now. */
  deployedAt?: number;
  metadata?: Record<string, unknown>;
}

function toDeployment(r: Row<'deployments'>): Deployment {
  return {
    id: Number(r.id),
    service: r.service,
    version: r.version,
    commit: r.commit_sha,
    url: r.url,
    actor: r.actor,
    rollback: r.rollback === 1,
    deployedAt: r.deployed_at,
    metadata: fromJson(r.metadata, {}),
  };
}

export async function recordDeployment(db: Db, input: NewDeployment, now: number): Promise<Deployment> {
  const row = await db
    .insertInto('deployments')
    .values({
      service: input.service,
      version: input.version,
      commit_sha: input.commit ?? null,
      url: input.url ?? null,
      actor: input.actor,
      rollback: input.rollback ? 1 : 0,
      deployed_at: input.deployedAt ?? now,
      metadata: toJson(input.metadata ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDeployment(row);
}

export interface DeploymentFilter {
  services?: readonly string[];
  /** Deployed at or after (ms). */
  since?: number;
  /** Deployed at or before (ms). */
  until?: number;
  limit?: number;
}

/** Newest first. */
export async function listDeployments(db: Db, f: DeploymentFilter = {}): Promise<Deployment[]> {
  if (f.services && f.services.length === 0) return [];
  let q = db.selectFrom('deployments').selectAll();
  if (f.services) q = q.where('service', 'in', [...f.services]);
  if (f.since !== undefined) q = q.where('deployed_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('deployed_at', '<=', f.until);
  const rows = await q.orderBy('deployed_at', 'desc').orderBy('id', 'desc').limit(f.limit ?? 100).execute();
  return rows.map(toDeployment);
}
