import { z } from 'zod';
import { duration } from '../units.js';
import { condition, httpUrl, labels, name, notifyList, severity } from './common.js';
import { httpAssertionFields, httpRequestFields, journeyStep } from './http.js';

/** `monitors:` — synthetic checks. One schema per check type, discriminated by `type`. */

export const MONITOR_TYPES = ['http', 'multi-step', 'tcp', 'dns', 'tls', 'heartbeat'] as const;
export type MonitorType = (typeof MONITOR_TYPES)[number];

export const retryPolicy = z.strictObject({
  strategy: z.enum(['fixed', 'linear', 'exponential']).default('fixed'),
  count: z.number().int().min(0).max(10).default(0).describe('Extra attempts within one run before the run counts as failed.'),
  delay: duration().prefault('1s').describe('Delay before the first retry; linear adds it each time, exponential doubles it.'),
  max_delay: duration().prefault('30s').describe('Upper bound on any single delay.'),
  only_network_errors: z.boolean().default(false).describe('Retry only when the request never got a response (DNS, connect, TLS, timeout), not on a bad answer.'),
});
export type RetryPolicy = z.infer<typeof retryPolicy>;

/** Fields every monitor has, whatever it checks. */
const monitorCommon = {
  name: name().describe('Unique monitor name.'),
  service: z.string().min(1).optional().describe('Service this monitor checks.'),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  interval: duration().prefault('1m').describe('Time between runs: 60 (seconds), "30s", "5m".'),
  timeout: duration().prefault('10s').describe('A run taking longer fails.'),
  failure_threshold: z.number().int().min(1).default(2).describe('Consecutive failed runs before an incident opens (a single blip opens none).'),
  success_threshold: z.number().int().min(1).default(1).describe('Consecutive passing runs before the monitor counts as recovered.'),
  retry_interval: duration().prefault('5s').describe('After the first failure of an up monitor, check again this soon instead of a full interval.'),
  retry: retryPolicy.optional().describe('Retries within one run before it counts as failed.'),
  alert: z.string().min(1).optional().describe('Alert name of incidents this monitor opens (default: the monitor\'s name).'),
  severity: severity.default('P2').describe('Severity of the incidents this monitor opens.'),
  labels: labels.default({}).describe('Labels added to its incidents (runbooks and remediation rules can match them).'),
  degraded_if: z
    .union([condition(), z.array(condition())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .describe('Conditions over a passing run\'s measurements (total_ms, first_byte_ms, …) that make it degraded, e.g. "total_ms > 800".'),
  notify_degraded: z.boolean().default(false).describe('Tell people when the monitor turns degraded: it then opens a P4 latency incident of its own (notified through the usual routes), resolved when the monitor is up again. Without it, degraded is shown and reported only.'),
  notify: notifyList.optional().describe('Channels told about incidents this monitor opens.'),
  locations: z.array(z.string().min(1)).optional().describe('Run from these worker locations; an incident needs `confirm_locations` of them to agree.'),
  confirm_locations: z.number().int().min(1).default(1).describe('How many locations must see the failure before an incident opens.'),
  trace_url: httpUrl().optional().describe('Link to a failed run\'s trace, e.g. "http://jaeger:16686/trace/{trace_id}" (http or https; overrides tracing.trace_url).'),
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
  host: z.string().min(1).describe('Host to connect to.'),
  port: z.number().int().min(1).max(65535).describe('TCP port.'),
});

export const dnsMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('dns'),
  hostname: z.string().min(1).describe('The name to resolve.'),
  record_type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV']).default('A'),
  resolver: z.string().optional().describe('DNS server to ask, "host" or "host:port" (default: the system resolver).'),
  expect: z.array(z.string()).optional().describe('Records that must be among the answers.'),
});

export const tlsMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('tls'),
  host: z.string().min(1).describe('Host whose certificate is checked.'),
  port: z.number().int().min(1).max(65535).default(443),
  servername: z.string().optional().describe('SNI name if it differs from host.'),
  min_days: z.number().min(0).default(14).describe('Fail when the certificate expires within this many days.'),
  verify_tls: z.boolean().default(true).describe('Also fail when the certificate chain does not verify.'),
});

export const heartbeatMonitor = z.strictObject({
  ...monitorCommon,
  type: z.literal('heartbeat'),
  grace: duration().prefault('30s').describe('Extra time after `interval` before a missing ping counts as a failure.'),
  token: z.string().min(16, 'a heartbeat token needs at least 16 characters').optional().describe('The secret part of the push URL; generated and kept in the database when not given.'),
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
