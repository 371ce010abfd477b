import type { Redactor, RunbookStep } from '../../config/index.js';
import type { KubeSettings } from '../../shared/kubernetes.js';
import type { PrometheusTarget } from '../../shared/prometheus.js';

/**
 * A runbook step runner: one per step kind (`run`, `http`, `prometheus`, `tcp`, `kubernetes`, `statuspage`, `loki`), registered in index.ts.
 * Adding a kind is one file here, one line in the registry, and its key in the config schema.
 */

/** Where a `prometheus` step sends its query (from medic.yaml's `prometheus:` section). */
export type { PrometheusTarget };

/** Where a `loki` step sends its query (from medic.yaml's `loki:` section). */
export interface LokiTarget {
  url: string;
  headers: Record<string, string>;
}

/** The services steps read, from medic.yaml (`prometheus:`, `loki:`, `kubernetes:`). */
export interface StepTargets {
  prometheus?: PrometheusTarget | undefined;
  loki?: LokiTarget | undefined;
  /** The same kubeconfig/context the remediation actions use. */
  kubernetes?: KubeSettings | undefined;
}

export interface StepContext extends StepTargets {
  /** The environment commands run with: the MEDIC_* variables plus PATH, HOME, LANG (see env.ts). */
  env: Record<string, string>;
  /** Aborted when the whole runbook run is cancelled. */
  signal: AbortSignal;
  /** Knows the config's secrets; every text a step returns has passed through it. */
  redactor: Redactor;
  /** Working directory of commands and base of a relative kubeconfig path (the config file's folder). */
  cwd: string;
}

export interface StepOutput {
  ok: boolean;
  /** What the step printed or fetched, redacted and capped at the step's `max_output` (the cut is noted). */
  output: string;
  exitCode?: number;
  statusCode?: number;
  /** Structured result: the json_path extract, the parsed Prometheus vector, … (redacted). */
  value?: unknown;
  durationMs: number;
  /** Why the step failed, in one line (redacted). */
  error?: string;
  truncated: boolean;
}

export type StepOfKind<K extends RunbookStep['kind']> = Extract<RunbookStep, { kind: K }>;

export interface StepRunner<K extends RunbookStep['kind']> {
  readonly kind: K;
  run(step: StepOfKind<K>, ctx: StepContext): Promise<StepOutput>;
}
