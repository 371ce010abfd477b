import { z } from 'zod';
import { duration, size } from '../units.js';
import { headers, httpUrl, labelMatchers, name } from './common.js';
import { describedAs } from './json-schema-hint.js';

/**
 * `runbooks:` — diagnosis that runs by itself when a matching incident opens. Each step has exactly one
 * of `run`, `http`, `prometheus` or `tcp`; the key present picks the step kind.
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

export const RUNBOOK_STEP_KINDS = { run: runStep, http: httpStep, prometheus: prometheusStep, tcp: tcpStep } as const;
export type RunbookStepKind = keyof typeof RUNBOOK_STEP_KINDS;

const parseRunbookStep = z.unknown().transform((raw, ctx) => {
  const kinds = raw && typeof raw === 'object' ? (Object.keys(RUNBOOK_STEP_KINDS) as RunbookStepKind[]).filter((k) => k in raw) : [];
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        kinds.length === 0
          ? 'a runbook step needs one of run, http, prometheus, tcp'
          : `a runbook step takes only one of run, http, prometheus, tcp (got ${kinds.join(' and ')})`,
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
export const runbookStep = describedAs(parseRunbookStep, z.union([runStep, httpStep, prometheusStep, tcpStep]));
export type RunbookStep =
  | ({ kind: 'run' } & z.infer<typeof runStep>)
  | ({ kind: 'http' } & z.infer<typeof httpStep>)
  | ({ kind: 'prometheus' } & z.infer<typeof prometheusStep>)
  | ({ kind: 'tcp' } & z.infer<typeof tcpStep>);

export const runbook = z.strictObject({
  name: name().describe('Unique runbook name.'),
  description: z.string().optional(),
  alert: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).optional().describe('Alert name(s) this runbook diagnoses.'),
  match: labelMatchers.optional().describe('Label matchers (`service` is a label of every incident).'),
  concurrency: z.number().int().min(1).max(32).default(4).describe('Steps run in parallel up to this bound; their outputs keep the listed order in the report.'),
  steps: z.array(runbookStep).min(1, 'a runbook needs at least one step').describe('Each step has one of run, http, prometheus, tcp.'),
});
export type RunbookConfig = z.infer<typeof runbook>;
