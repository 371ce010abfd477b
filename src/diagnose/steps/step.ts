import type { Redactor, RunbookStep } from '../../config/index.js';
import type { PrometheusTarget } from '../../shared/prometheus.js';

/**
 * A runbook step runner: one per step kind (`run`, `http`, `prometheus`, `tcp`), registered in index.ts.
 * Adding a kind is one file here, one line in the registry, and its key in the config schema.
 */

/** Where a `prometheus` step sends its query (from medic.yaml's `prometheus:` section). */
export type { PrometheusTarget };

export interface StepContext {
  /** The environment commands run with: the MEDIC_* variables plus PATH, HOME, LANG (see env.ts). */
  env: Record<string, string>;
  /** Aborted when the whole runbook run is cancelled. */
  signal: AbortSignal;
  /** Knows the config's secrets; every text a step returns has passed through it. */
  redactor: Redactor;
  prometheus?: PrometheusTarget;
  /** Working directory of commands (the config file's folder). */
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
