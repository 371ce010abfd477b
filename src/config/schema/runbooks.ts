import { z } from 'zod';
import { duration, size } from '../units.js';
import { headers, httpUrl, labelMatchers, name, regex } from './common.js';
import { describedAs } from './json-schema-hint.js';

/**
 * `runbooks:` — diagnosis that runs by itself when a matching incident opens. Each step has exactly one
 * of `run`, `http`, `prometheus`, `tcp`, `kubernetes`, `statuspage` or `loki`; the key present picks the
 * step kind (for `kubernetes`, its value picks what is read).
 */

const stepCommon = {
  name: name().describe('Step name, shown as a section of the diagnostic report.'),
  timeout: duration().prefault('30s').describe('The step is stopped after this.'),
  max_output: size().prefault('16kb').describe('Keep at most this much output (the rest is cut, and the cut is said).'),
};

export const runStep = z.strictObject({
  ...stepCommon,
  run: z.string().min(1).describe('Shell command. Alert data comes only as environment variables ($MEDIC_SERVICE, $MEDIC_LABEL_<NAME>…).'),
  env: z.record(z.string(), z.string()).default({}),
});
export const httpStep = z.strictObject({
  ...stepCommon,
  http: httpUrl(),
  method: z.string().default('GET'),
  headers: headers.default({}),
  body: z.string().optional(),
  json_path: z.string().optional().describe('Show only this part of a JSON body.'),
  verify_tls: z.boolean().default(true),
});
export const prometheusStep = z.strictObject({
  ...stepCommon,
  prometheus: z.string().min(1).describe('PromQL instant query against `prometheus.url`.'),
});
export const tcpStep = z.strictObject({
  ...stepCommon,
  tcp: z.string().regex(/^.+:\d{1,5}$/, 'expected "host:port"').describe('"host:port" to connect to.'),
});


const kubeName = (what: string) => z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, `expected a Kubernetes ${what} name (lower case letters, digits, "-" and ".")`);
const kubeTarget = {
  namespace: kubeName('namespace').default('default').describe('Kubernetes namespace.'),
};
const since = () => duration().prefault('15m').describe('How far back to look.');
/** Exactly one way of picking pods; `what` lists the keys allowed for this step. */
function onePodPicker(keys: readonly ('deployment' | 'pod' | 'selector')[], required: boolean) {
  return (step: Partial<Record<'deployment' | 'pod' | 'selector', string>>, ctx: z.RefinementCtx) => {
    const given = keys.filter((k) => step[k] !== undefined);
    if (given.length > 1 || (required && given.length === 0)) {
      ctx.addIssue({ code: 'custom', message: `${required ? 'needs exactly' : 'takes at most'} one of ${keys.join(', ')}${given.length > 1 ? ` (got ${given.join(' and ')})` : ''}` });
    }
  };
}

export const kubernetesPodsStep = z
  .strictObject({
    ...stepCommon,
    kubernetes: z.literal('pods'),
    ...kubeTarget,
    deployment: kubeName('deployment').optional().describe("The Deployment whose pods to show (its own selector is used)."),
    selector: z.string().min(1).optional().describe('Label selector, e.g. "app=payment-service".'),
  })
  .superRefine(onePodPicker(['deployment', 'selector'], true));
export const kubernetesLogsStep = z
  .strictObject({
    ...stepCommon,
    kubernetes: z.literal('logs'),
    ...kubeTarget,
    deployment: kubeName('deployment').optional(),
    pod: kubeName('pod').optional(),
    selector: z.string().min(1).optional(),
    container: kubeName('container').optional().describe("Container (default: the pod's default container, else its first)."),
    tail: z.number().int().min(1).max(100_000).default(200).describe('Lines read per pod.'),
    grep: regex().optional().describe('Keep only lines matching this regular expression (case-insensitive).'),
    last: z.number().int().min(1).max(10_000).default(20).describe('Lines kept per pod after filtering.'),
    previous: z.boolean().default(false).describe("The previous (crashed) container's log."),
  })
  .superRefine(onePodPicker(['deployment', 'pod', 'selector'], true));
export const kubernetesRolloutHistoryStep = z.strictObject({
  ...stepCommon,
  kubernetes: z.literal('rollout_history'),
  ...kubeTarget,
  deployment: kubeName('deployment'),
});
export const kubernetesEventsStep = z
  .strictObject({
    ...stepCommon,
    kubernetes: z.literal('events'),
    ...kubeTarget,
    deployment: kubeName('deployment').optional().describe('Only events of this Deployment, its ReplicaSets and pods.'),
    pod: kubeName('pod').optional().describe('Only events of this pod.'),
    since: since(),
  })
  .superRefine(onePodPicker(['deployment', 'pod'], false));
export const KUBERNETES_STEP_QUERIES = ['pods', 'logs', 'rollout_history', 'events'] as const;
export const kubernetesStep = z.discriminatedUnion(
  'kubernetes',
  [kubernetesPodsStep, kubernetesLogsStep, kubernetesRolloutHistoryStep, kubernetesEventsStep],
  { error: (iss) => (iss.code === 'invalid_union' ? `kubernetes: expected one of ${KUBERNETES_STEP_QUERIES.join(', ')}` : undefined) },
);
export const statuspageStep = z.strictObject({
  ...stepCommon,
  statuspage: httpUrl().describe('An Atlassian Statuspage, e.g. https://status.stripe.com (its /api/v2/summary.json is read).'),
});
export const lokiStep = z.strictObject({
  ...stepCommon,
  loki: z.string().min(1).describe('LogQL log query against `loki.url`, e.g. \'{app="payment-service"} |= "error"\'.'),
  since: since(),
  limit: z.number().int().min(1).max(5000).default(20).describe('Lines shown, newest first.'),
});

export const RUNBOOK_STEP_KINDS = {
  run: runStep,
  http: httpStep,
  prometheus: prometheusStep,
  tcp: tcpStep,
  kubernetes: kubernetesStep,
  statuspage: statuspageStep,
  loki: lokiStep,
} as const;
export type RunbookStepKind = keyof typeof RUNBOOK_STEP_KINDS;

const KIND_LIST = Object.keys(RUNBOOK_STEP_KINDS).join(', ');

const parseRunbookStep = z.unknown().transform((raw, ctx) => {
  const kinds = raw && typeof raw === 'object' ? (Object.keys(RUNBOOK_STEP_KINDS) as RunbookStepKind[]).filter((k) => k in raw) : [];
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        kinds.length === 0
          ? `a runbook step needs one of ${KIND_LIST}`
          : `a runbook step takes only one of ${KIND_LIST} (got ${kinds.join(' and ')})`,
      input: raw,
    });
    return z.NEVER;
  }
  const kind = kinds[0]!;
  const parsed = RUNBOOK_STEP_KINDS[kind].safeParse(raw);
  if (!parsed.success) {
    // Keep each issue's own code (unrecognized keys keep their key list for the did-you-mean hint).
    for (const issue of parsed.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  }
  return { kind, ...parsed.data } as RunbookStep;
});
export const runbookStep = describedAs(parseRunbookStep, z.union([runStep, httpStep, prometheusStep, tcpStep, kubernetesStep, statuspageStep, lokiStep]));
export type RunbookStep =
  | ({ kind: 'run' } & z.infer<typeof runStep>)
  | ({ kind: 'http' } & z.infer<typeof httpStep>)
  | ({ kind: 'prometheus' } & z.infer<typeof prometheusStep>)
  | ({ kind: 'tcp' } & z.infer<typeof tcpStep>)
  | ({ kind: 'kubernetes' } & z.infer<typeof kubernetesStep>)
  | ({ kind: 'statuspage' } & z.infer<typeof statuspageStep>)
  | ({ kind: 'loki' } & z.infer<typeof lokiStep>);

export const runbook = z.strictObject({
  name: name().describe('Unique runbook name.'),
  description: z.string().optional(),
  alert: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).optional().describe('Alert name(s) this runbook diagnoses.'),
  match: labelMatchers.optional().describe('Label matchers (`service` is a label of every incident).'),
  concurrency: z.number().int().min(1).max(32).default(4).describe('Steps run in parallel up to this bound; their outputs keep the listed order in the report.'),
  steps: z.array(runbookStep).min(1, 'a runbook needs at least one step').describe(`Each step has one of ${KIND_LIST}.`),
});
export type RunbookConfig = z.infer<typeof runbook>;
