import { connectKube, type KubeClient } from '../../shared/kubernetes.js';
import { redactAndCap } from '../../shared/output.js';
import { eventsQuery } from './kubernetes-events.js';
import { logsQuery } from './kubernetes-logs.js';
import { podsQuery } from './kubernetes-pods.js';
import { rolloutHistoryQuery } from './kubernetes-rollout-history.js';
import type { StepContext, StepOfKind, StepRunner } from './step.js';

/**
 * `kubernetes:` — reads the cluster through its API (no kubectl, no shell), with the kubeconfig/in-cluster
 * logic the remediation actions use (src/shared/kubernetes.ts). The value picks what is read; each query
 * is one file. Every name sent comes from medic.yaml, never from alert data, and goes into a URL path
 * segment or query parameter, encoded.
 */

export type KubernetesStep = StepOfKind<'kubernetes'>;
export type KubernetesQueryName = KubernetesStep['kubernetes'];

/** What one query found: the text shown, whether all is well, and the rows behind the text. */
export interface KubeQueryResult {
  ok: boolean;
  lines: string[];
  value: unknown;
  error?: string;
}

export type KubeQuery<Q extends KubernetesQueryName> = (step: Extract<KubernetesStep, { kubernetes: Q }>, kube: KubeClient, now: number) => Promise<KubeQueryResult>;

const QUERIES: { readonly [Q in KubernetesQueryName]: KubeQuery<Q> } = {
  pods: podsQuery,
  logs: logsQuery,
  rollout_history: rolloutHistoryQuery,
  events: eventsQuery,
};

export const kubernetesStepRunner: StepRunner<'kubernetes'> = {
  kind: 'kubernetes',
  async run(step, ctx: StepContext) {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let result: KubeQueryResult;
    try {
      const kube = await connectKube(ctx.kubernetes ?? {}, { baseDir: ctx.cwd, signal: ctx.signal, timeoutMs: step.timeout });
      const query = QUERIES[step.kubernetes] as KubeQuery<KubernetesQueryName>;
      result = await query(step, kube, Date.now());
    } catch (err) {
      const error = ctx.redactor.redact((err as Error).message);
      return { ok: false, output: error, durationMs: elapsed(), error, truncated: false };
    }
    const { text, truncated } = redactAndCap(result.lines.join('\n'), step.max_output, ctx.redactor);
    return {
      ok: result.ok,
      output: text,
      value: ctx.redactor.redactDeep(result.value),
      durationMs: elapsed(),
      truncated,
      ...(result.error !== undefined ? { error: ctx.redactor.redact(result.error) } : {}),
    };
  },
};
