import { z } from 'zod';
import { duration } from '../units.js';
import { condition, labels, name, notifyList, severity } from './common.js';
import { httpAssertionFields, httpRequestFields, journeyStep } from './http.js';

/** `monitors:` — synthetic checks. One schema per check type, discriminated by `type`. */

export const MONITOR_TYPES = ['http', 'multi-step', 'tcp', 'dns', 'tls', 'heartbeat'] as const;
export type MonitorType = (typeof MONITOR_TYPES)[number];

export const retryPolicy = z.strictObject({
  strategy: z.enum(['fixed', 'linear', 'exponential']).default('fixed'),
  /** Extra attempts within one run before the run counts as failed. */
  count: z.number().int().min(0).max(10).default(0),
  /** Delay before the first retry; linear adds it each time, exponential doubles it. */
  delay: duration().default(1000),
  /** Upper bound on any single delay. */
  max_delay: duration().default(30_000),
  /** Retry only when the request never got a response (DNS, connect, TLS, timeout), not on a bad answer. */
  only_network_errors: z.boolean().default(false),
});
export type RetryPolicy = z.infer<typeof retryPolicy>;

/** Fields every monitor has, whatever it checks. */
const monitorCommon = {
  name: name(),
  service: z.string().min(1).optional(),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  interval: duration().default(60_000),
  timeout: duration().default(10_000),
  /** Consecutive failed runs before an incident opens (a single blip opens none). */
  failure_threshold: z.number().int().min(1).default(2),
  /** Consecutive passing runs before the monitor counts as recovered. */
  success_threshold: z.number().int().min(1).default(1),
  /** After the first failure of an up monitor, check again this soon instead of a full interval. */
  retry_interval: duration().default(5000),
  retry: retryPolicy.optional(),
  /** Alert name of incidents this monitor opens (default: the monitor's name). */
  alert: z.string().min(1).optional(),
  severity: severity.default('P2'),
  labels: labels.default({}),
  /** Conditions over the run's measurements (`total_ms`, `first_byte_ms`, …) that make a passing run degraded. */
  degraded_if: z
    .union([condition(), z.array(condition())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  /** Notify channels when the monitor becomes degraded (degraded opens no incident). */
  notify_degraded: z.boolean().default(false),
  notify: notifyList.optional(),
  /** Run from these worker locations; an incident needs `confirm_locations` of them to agree. */
  locations: z.array(z.string().min(1)).optional(),
  confirm_locations: z.number().int().min(1).default(1),
  /** Link to a failed run's trace, e.g. "http://jaeger:16686/trace/{trace_id}" (overrides tracing.trace_url). */
  trace_url: z.string().optional(),
};

export const httpMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('http'),
  ...httpRequestFields,
  ...httpAssertionFields,
});

export const multiStepMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('multi-step'),
  steps: z.array(journeyStep).min(1, 'a multi-step monitor needs at least one step'),
});

export const tcpMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('tcp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});

export const dnsMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('dns'),
  /** The name to resolve. */
  hostname: z.string().min(1),
  record_type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV']).default('A'),
  /** DNS server to ask, "host" or "host:port" (default: the system resolver). */
  resolver: z.string().optional(),
  /** Records that must be among the answers. */
  expect: z.array(z.string()).optional(),
});

export const tlsMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('tls'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(443),
  /** SNI name if it differs from host. */
  servername: z.string().optional(),
  /** Fail when the certificate expires within this many days. */
  min_days: z.number().min(0).default(14),
  verify_tls: z.boolean().default(true),
});

export const heartbeatMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('heartbeat'),
  /** Extra time after `interval` before a missing ping counts as a failure. */
  grace: duration().default(30_000),
  /** The secret part of the push URL; generated and kept in the database when not given. */
  token: z.string().min(16, 'a heartbeat token needs at least 16 characters').optional(),
});

export const monitor = z.preprocess(
  // `type` may be left out: a monitor with steps is a journey, anything else a plain HTTP check.
  (raw) => {
    if (raw && typeof raw === 'object' && !Array.isArray(raw) && !('type' in raw)) {
      return { ...raw, type: 'steps' in raw ? 'multi-step' : 'http' };
    }
    return raw;
  },
  z.discriminatedUnion('type', [httpMonitor, multiStepMonitor, tcpMonitor, dnsMonitor, tlsMonitor, heartbeatMonitor], {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `expected type to be one of ${MONITOR_TYPES.join(', ')}, got ${JSON.stringify((iss.input as { type?: unknown })?.type)}`
        : undefined,
  }),
);
export type MonitorConfig = z.infer<typeof monitor>;
export type HttpMonitorConfig = z.infer<typeof httpMonitor>;
export type MultiStepMonitorConfig = z.infer<typeof multiStepMonitor>;
export type TcpMonitorConfig = z.infer<typeof tcpMonitor>;
export type DnsMonitorConfig = z.infer<typeof dnsMonitor>;
export type TlsMonitorConfig = z.infer<typeof tlsMonitor>;
export type HeartbeatMonitorConfig = z.infer<typeof heartbeatMonitor>;
