import type { MonitorConfig } from '../../config/index.js';

/**
 * The contract between a check type (http, tcp, dns, …) and whoever runs it: the scheduler, `medic run`,
 * verification. A check type runs one attempt and reports what it saw; retries and `degraded_if` are
 * applied around it by ./index.ts, so every type gets them the same way.
 */

export interface CheckContext {
  /** Aborted when the run must stop (shutdown, lease lost). The monitor's own timeout is applied inside. */
  signal: AbortSignal;
  /** Wall clock for facts about the world (certificate expiry, heartbeat age); durations use a monotonic clock. */
  now(): number;
  /** Heartbeat monitors: when the last ping arrived (null: never). */
  lastPingAt?: number | null;
  /** Heartbeat monitors: when the monitor was first seen, the reference when it was never pinged. */
  monitorCreatedAt?: number;
  /**
   * Removes the config's secrets from response text before it is cut into a preview: a service that
   * echoes a credential where the preview ends would otherwise leave its first characters behind, which
   * no later redaction recognizes. The caller still redacts the outcome as a whole.
   */
  redact?: (text: string) => string;
}

/**
 * Durations in milliseconds. dns, connect and tls are the phases of opening the connection (summed over
 * redirect hops or journey steps); first_byte and total are counted from the start of the attempt, the way
 * curl's time_starttransfer and time_total are, so total_ms ≥ first_byte_ms ≥ dns_ms + connect_ms + tls_ms.
 * A phase that did not happen (no DNS lookup for an IP address, no TLS for http://) is left out.
 */
export interface Timings {
  dns_ms?: number;
  connect_ms?: number;
  tls_ms?: number;
  first_byte_ms?: number;
  total_ms: number;
}

export interface AssertionResult {
  /** What was checked: "status", "json_path $.token", "header content-type", … */
  name: string;
  pass: boolean;
  expected: string;
  /** The value seen, truncated for display. */
  actual: string;
  /** 1-based journey step the assertion belongs to. */
  step?: number;
}

export interface StepResult {
  name: string;
  status: 'up' | 'down';
  error?: string;
  /** True when the step failed without any response from the target. */
  networkError: boolean;
  timings: Timings;
  assertions: AssertionResult[];
  statusCode?: number;
  /** The URL requested (after `{{name}}` substitution). */
  url: string;
  redirects?: number;
}

export type CheckStatus = 'up' | 'degraded' | 'down';

export interface CheckOutcome {
  status: CheckStatus;
  /** Why the run is down: the first error or failed assertion, in one line. */
  error?: string;
  /** True when the run failed without any answer from the target (DNS, connect, TLS, timeout): what `retry.only_network_errors` retries. */
  networkError: boolean;
  timings: Timings;
  assertions: AssertionResult[];
  steps?: StepResult[];
  /** W3C trace id sent in `traceparent` with every request of the run. */
  traceId?: string;
  /** Numbers `degraded_if` conditions read: total_ms, first_byte_ms, status_code, days_remaining, … */
  measurements: Record<string, number>;
  /** Facts worth showing that are not numbers: a certificate's subject and issuer, the final URL, … */
  info?: Record<string, string>;
  /** The `degraded_if` conditions that held (status is then 'degraded'). */
  degradedBy?: string[];
  /** Attempts made in this run (1 + retries). */
  attempts: number;
}

export interface CheckType<M extends MonitorConfig = MonitorConfig> {
  readonly type: M['type'];
  /** Runs one attempt. May throw on a bug; runCheck turns that into a down outcome. */
  run(monitor: M, ctx: CheckContext): Promise<CheckOutcome>;
}

/** The monitor config of one type, e.g. MonitorOfType<'tcp'> is TcpMonitorConfig. */
export type MonitorOfType<T extends MonitorConfig['type']> = Extract<MonitorConfig, { type: T }>;

/** A down outcome with nothing measured but the time spent. */
export function failed(error: string, totalMs: number, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  return {
    status: 'down',
    error,
    networkError: false,
    timings: { total_ms: totalMs },
    assertions: [],
    measurements: { total_ms: totalMs },
    attempts: 1,
    ...extra,
  };
}

/** A failed assertion as the one-line error of a run. */
export function describeFailure(a: AssertionResult): string {
  return `${a.name}: expected ${a.expected}, got ${a.actual}`;
}

/** Timings as measurements, so `degraded_if: "tls_ms > 200"` reads the same names the UI shows. */
export function timingMeasurements(timings: Timings, into: Record<string, number> = {}): Record<string, number> {
  if (timings.dns_ms !== undefined) into.dns_ms = timings.dns_ms;
  if (timings.connect_ms !== undefined) into.connect_ms = timings.connect_ms;
  if (timings.tls_ms !== undefined) into.tls_ms = timings.tls_ms;
  if (timings.first_byte_ms !== undefined) into.first_byte_ms = timings.first_byte_ms;
  into.total_ms = timings.total_ms;
  return into;
}

/** Milliseconds rounded to 0.1 ms: finer is noise, coarser hides loopback-fast phases. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}
