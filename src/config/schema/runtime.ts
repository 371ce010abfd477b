import { z } from 'zod';
import { duration, size } from '../units.js';
import { httpUrl, labelMatchers, name, role } from './common.js';

/** Process-level sections: server, storage, auth, workers, integrations, retention, silences. */

export const server = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8080).describe('HTTP port of the API, the UI and the ingest endpoints.'),
  host: z.string().default('0.0.0.0').describe('Address to listen on.'),
  public_url: z.string().optional().describe('URL people and tools reach Medic at (links in notifications, heartbeat push URLs).'),
  body_limit: size().prefault('1mb').describe('Largest request body accepted.'),
  trust_proxy: z
    .array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: 'expected an IP address or a CIDR range such as 10.0.0.0/8' }))
    .default([])
    .describe(
      'Addresses or CIDR ranges of reverse proxies in front of Medic. Only a request that comes from one of them has its client address taken from X-Forwarded-For (for the failed-authentication limit and the status page rate limit); empty (the default) trusts no header.',
    ),
});

export const storage = z.strictObject({
  url: z
    .string()
    .default('sqlite://./data/medic.db')
    .refine((u) => /^(sqlite:|postgres:|postgresql:)/.test(u), 'expected a sqlite:// or postgres:// URL')
    .describe('"sqlite://./data/medic.db" (relative to the working directory) or "postgres://user@host:5432/db" (add ?schema=name to use a schema).'),
  pool_size: z.number().int().min(1).max(200).default(10).describe('Connections in the PostgreSQL pool.'),
});

export const auth = z.strictObject({
  tokens: z
    .array(
      z.strictObject({
        name: name(),
        role: role.describe('viewer, responder or admin (each may do what the ones before it may), or flags: OFREP flag evaluation and nothing else.'),
        token: z.string().min(16, 'a token needs at least 16 characters'),
      }),
    )
    .default([])
    .describe('API tokens defined in config (use ${ENV} for the value); hashed at start, never stored in plain text. Applied again at every reload: a token taken out is revoked.'),
  failed_auth_per_minute: z.number().int().min(1).default(30).describe('Failed authentications allowed per client address per minute; past it, that address gets 429 for the rest of the minute (a valid token is never refused).'),
});

export const workers = z.strictObject({
  lease: duration().prefault('5s').describe('How long a claimed monitor run or job belongs to a worker before others may take it.'),
  concurrency: z.number().int().min(1).max(10_000).default(100).describe('Checks and jobs in flight per process.'),
  location: z.string().default('default').describe('This process\'s location when none is given on the command line.'),
});

export const incidents = z.strictObject({
  group_window: duration().prefault('5m').describe('Alerts of the same group within this window join the open incident.'),
  group_by: z.array(z.string()).default(['service']).describe('Labels that define a group (default: the service).'),
  reopen_window: duration().prefault('30m').describe('An incident that fires again within this of closing is reopened.'),
  correlation_window: duration().prefault('2h').describe('Deployments and flag changes this long before `started_at` are attached as suspects.'),
});

export const prometheus = z.strictObject({
  url: z.string().url().describe('Prometheus base URL, e.g. http://127.0.0.1:9090 (for verification, runbook steps and the command center).'),
  timeout: duration().prefault('5s').describe('Timeout of one query.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with every query (e.g. Authorization).'),
});

export const loki = z.strictObject({
  url: httpUrl().describe('Loki base URL, e.g. http://127.0.0.1:3100 (for `loki:` runbook steps).'),
  headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with every query (e.g. Authorization, X-Scope-OrgID).'),
});

export const kubernetes = z.strictObject({
  kubeconfig: z.string().optional().describe('Path of a kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster).'),
  context: z.string().optional().describe('kubeconfig context to use (default: the current one).'),
});

export const tracing = z.strictObject({
  trace_url: httpUrl().optional().describe('Link template for a check\'s trace, e.g. "http://jaeger:16686/trace/{trace_id}" (http or https).'),
});

export const retention = z.strictObject({
  check_results: duration().prefault('30d').describe('How long check results are kept (their hourly roll-ups: at least status_page.history).'),
  finished_jobs: duration().prefault('7d').describe('How long finished jobs (deliveries, runbook runs) are kept.'),
});

export const silence = z
  .strictObject({
    matchers: labelMatchers.describe('Label matchers; a matching alert is recorded as suppressed and opens nothing.'),
    starts_at: z.iso.datetime({ offset: true }).transform((d) => Date.parse(d)),
    ends_at: z.iso.datetime({ offset: true }).transform((d) => Date.parse(d)),
    comment: z.string().default('').describe('Why (shown on suppressed alerts).'),
    created_by: z.string().default('config'),
  })
  .refine((s) => s.ends_at > s.starts_at, { message: 'ends_at must be after starts_at', path: ['ends_at'] });
export type SilenceConfig = z.infer<typeof silence>;
