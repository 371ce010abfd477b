import { OutboundError, sendRequest } from '../../shared/http.js';
import { redactAndCap } from '../../shared/output.js';
import type { StepOutput, StepRunner } from './step.js';

/**
 * `statuspage:` — a third party's status, from the Atlassian Statuspage v2 API most SaaS status pages
 * serve (`GET <page>/api/v2/summary.json`): the overall indicator and description, the components not
 * operational, and the unresolved incidents with their latest update. Fails when the indicator is not
 * `none`, so a degraded dependency stands out in the report.
 */

const READ_LIMIT = 4 * 1024 * 1024;

interface Summary {
  page?: { name?: string; url?: string };
  status?: { indicator?: string; description?: string };
  components?: Array<{ name: string; status: string; group?: boolean }>;
  incidents?: Array<{ name: string; status: string; impact?: string; shortlink?: string; incident_updates?: Array<{ status: string; body: string; created_at: string }> }>;
}

export interface StatuspageValue {
  indicator: string;
  description: string;
  components: Array<{ name: string; status: string }>;
  incidents: Array<{ name: string; status: string; impact: string | null; latestUpdate: { status: string; body: string; at: string } | null }>;
}

export const statuspageStepRunner: StepRunner<'statuspage'> = {
  kind: 'statuspage',
  async run(step, ctx) {
    const started = performance.now();
    const fail = (error: string, extra: Partial<StepOutput> = {}): StepOutput => {
      const redacted = ctx.redactor.redact(error);
      return { ok: false, output: redacted, durationMs: performance.now() - started, error: redacted, truncated: false, ...extra };
    };
    const url = `${step.statuspage.replace(/\/+$/, '')}/api/v2/summary.json`;
    let res;
    try {
      res = await sendRequest({ url, method: 'GET', headers: { accept: 'application/json' }, signal: ctx.signal, timeoutMs: step.timeout, keepBytes: READ_LIMIT });
    } catch (err) {
      return fail(`GET ${url}: ${err instanceof OutboundError ? err.message : String(err)}`);
    }
    let summary: Summary | undefined;
    try {
      summary = JSON.parse(res.body.text()) as Summary;
    } catch {
      summary = undefined;
    }
    if (res.statusCode < 200 || res.statusCode >= 300 || !summary?.status?.indicator) {
      return fail(`GET ${url} answered HTTP ${res.statusCode} without a Statuspage summary (is it an Atlassian Statuspage?)`, { statusCode: res.statusCode });
    }
    const value = readSummary(summary);
    const { text, truncated } = redactAndCap(formatSummary(summary.page?.name, value).join('\n'), step.max_output, ctx.redactor);
    const degraded = value.indicator !== 'none';
    return {
      ok: !degraded,
      output: text,
      statusCode: res.statusCode,
      value: ctx.redactor.redactDeep(value),
      durationMs: performance.now() - started,
      truncated,
      ...(degraded ? { error: ctx.redactor.redact(`status ${value.indicator}: ${value.description}`) } : {}),
    };
  },
};

function readSummary(s: Summary): StatuspageValue {
  return {
    indicator: s.status!.indicator!,
    description: s.status!.description ?? '',
    components: (s.components ?? []).filter((c) => c.status !== 'operational' && !c.group).map((c) => ({ name: c.name, status: c.status })),
    incidents: (s.incidents ?? [])
      .filter((i) => i.status !== 'resolved' && i.status !== 'postmortem')
      .map((i) => {
        // Updates come newest first; sort anyway rather than rely on it.
        const latest = [...(i.incident_updates ?? [])].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
        return { name: i.name, status: i.status, impact: i.impact ?? null, latestUpdate: latest ? { status: latest.status, body: latest.body, at: latest.created_at } : null };
      }),
  };
}

function formatSummary(page: string | undefined, v: StatuspageValue): string[] {
  const lines = [`${page ? `${page}: ` : ''}${v.description} (indicator: ${v.indicator})`];
  if (v.components.length > 0) {
    lines.push('Components not operational:');
    for (const c of v.components) lines.push(`  ${c.name}: ${c.status.replaceAll('_', ' ')}`);
  }
  if (v.incidents.length > 0) {
    lines.push('Unresolved incidents:');
    for (const i of v.incidents) {
      lines.push(`  ${i.name} (${i.status}${i.impact ? `, impact ${i.impact}` : ''})`);
      if (i.latestUpdate) lines.push(`    ${i.latestUpdate.at} ${i.latestUpdate.status}: ${i.latestUpdate.body.trim()}`);
    }
  }
  return lines;
}
