import { z } from 'zod';
import { duration, size } from '../units.js';
import { labelMatchers, name, role } from './common.js';

/** Process-level sections: server, storage, auth, workers, integrations, retention, silences. */

export const server = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  /** URL people and tools reach Medic at (links in notifications, heartbeat push URLs). */
  public_url: z.string().optional(),
  /** Largest request body accepted. */
  body_limit: size().default(1024 * 1024),
});

export const storage = z.strictObject({
  /** "sqlite://./data/medic.db" (relative to the working directory) or "postgres://user@host:5432/db". */
  url: z
    .string()
    .default('sqlite://./data/medic.db')
    .refine((u) => /^(sqlite:|postgres:|postgresql:)/.test(u), 'expected a sqlite:// or postgres:// URL'),
  /** Connections in the PostgreSQL pool. */
  pool_size: z.number().int().min(1).max(200).default(10),
});

export const auth = z.strictObject({
  /** Tokens defined in config (use ${ENV} for the value); hashed at start, never stored in plain text. */
  tokens: z
    .array(z.strictObject({ name: name(), role, token: z.string().min(16, 'a token needs at least 16 characters') }))
    .default([]),
  /** Failed authentications allowed per client address per minute before 429. */
  failed_auth_per_minute: z.number().int().min(1).default(30),
});

export const workers = z.strictObject({
  /** How long a claimed monitor run or job belongs to a worker before others may take it. */
  lease: duration().default(5000),
  /** Checks and jobs in flight per process. */
  concurrency: z.number().int().min(1).max(10_000).default(100),
  /** This process's location when none is given on the command line. */
  location: z.string().default('default'),
});

export const incidents = z.strictObject({
  /** Alerts of the same group within this window join the open incident. */
  group_window: duration().default(300_000),
  /** Labels that define a group (default: the service). */
  group_by: z.array(z.string()).default(['service']),
  /** An incident that fires again within this of closing is reopened. */
  reopen_window: duration().default(1_800_000),
  /** Deployments and flag changes this long before `started_at` are attached as suspects. */
  correlation_window: duration().default(7_200_000),
});

export const prometheus = z.strictObject({
  url: z.string().url(),
  timeout: duration().default(5000),
  headers: z.record(z.string(), z.string()).default({}),
});

export const kubernetes = z.strictObject({
  /** Path of a kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster). */
  kubeconfig: z.string().optional(),
  context: z.string().optional(),
});

export const tracing = z.strictObject({
  /** Link template for a check's trace, e.g. "http://jaeger:16686/trace/{trace_id}". */
  trace_url: z.string().optional(),
});

export const retention = z.strictObject({
  check_results: duration().default(30 * 86_400_000),
  finished_jobs: duration().default(7 * 86_400_000),
});

export const silence = z
  .strictObject({
    matchers: labelMatchers,
    starts_at: z.iso.datetime({ offset: true }).transform((d) => Date.parse(d)),
    ends_at: z.iso.datetime({ offset: true }).transform((d) => Date.parse(d)),
    comment: z.string().default(''),
    created_by: z.string().default('config'),
  })
  .refine((s) => s.ends_at > s.starts_at, { message: 'ends_at must be after starts_at', path: ['ends_at'] });
export type SilenceConfig = z.infer<typeof silence>;
