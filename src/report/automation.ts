import { sql } from 'kysely';
import type { MedicConfig } from '../config/index.js';
import { matchingRunbooks } from '../diagnose/runbooks/match.js';
import { matchingRules } from '../resolve/remediation/rules.js';
import { fromJson, inChunks, type Store } from '../store/index.js';
import { num } from './stats.js';

/**
 * The top ten without automation: incident types (alert name and service) over a window, ranked by how
 * often they happened, with the time they cost (sum of MTTR) and their median MTTR, and whether a
 * runbook and a remediation rule of the config match them. The ten most frequent types that lack a
 * runbook or a remediation rule come first: the place to automate next. The rest follow, by count.
 *
 * Every incident detected in the window counts towards `incidents`; time lost and the median are over
 * those that recovered (MTTR is set once an incident is resolved). Whether a runbook or a rule matches
 * is decided as when an incident opens (runbookMatches, ruleMatches), on the labels of the type's most
 * recent incident, so `match:` matchers on other labels (namespace, team) are honoured too.
 */

export const AUTOMATION_WINDOW_MS = 90 * 86_400_000;
export const AUTOMATION_TOP = 10;

export interface AutomationType {
  /** The alert name; null for incidents opened by hand. */
  alert: string | null;
  service: string | null;
  incidents: number;
  /** Sum of MTTR of the recovered incidents (ms). */
  time_lost_ms: number;
  /** Median MTTR of the recovered incidents (ms), percentile_cont on both engines; null when none recovered. */
  median_mttr_ms: number | null;
  runbook: boolean;
  remediation: boolean;
}

export interface AutomationReport {
  since: number;
  until: number;
  /** The types ranked: the ten worst without full automation first, then the rest by count. */
  types: AutomationType[];
  /** How many of `types` lead the list as the ten worst without a runbook or a remediation rule. */
  top: number;
}

export interface AutomationOptions {
  since: number;
  until: number;
}

/** Most incidents first, then most time lost, then by name, so the order is the same on both engines. */
function byCount(a: AutomationType, b: AutomationType): number {
  return b.incidents - a.incidents || b.time_lost_ms - a.time_lost_ms || (a.alert ?? '').localeCompare(b.alert ?? '') || (a.service ?? '').localeCompare(b.service ?? '');
}

export const automated = (t: Pick<AutomationType, 'runbook' | 'remediation'>) => t.runbook && t.remediation;

export async function automationReport(store: Store, config: Pick<MedicConfig, 'runbooks' | 'remediation'>, options: AutomationOptions): Promise<AutomationReport> {
  const { since, until } = options;
  const mttr = sql<number | null>`mttr_ms`;
  const [median] = store.report.percentilesCont([{ fraction: 0.5, value: mttr }]);
  const rows = await store.report.session(store.db, (db) =>
    db
      .selectFrom('incidents')
      .select(['alert_name', 'service'])
      .select([sql<number>`count(*)`.as('incidents'), sql<number | null>`sum(mttr_ms)`.as('time_lost'), median!.as('median'), sql<number>`max(id)`.as('latest')])
      .where('detected_at', '>=', since)
      .where('detected_at', '<', until)
      .groupBy(['alert_name', 'service'])
      .execute(),
  );
  // The labels of each type's latest incident, for the matchers: one read of a few hundred rows at most.
  const latestIds = rows.map((r) => Number(r.latest)).sort((a, b) => a - b);
  const labelRows = await inChunks(store.dialect, latestIds, (ids) => store.db.selectFrom('incidents').select(['id', 'labels']).where('id', 'in', ids).execute());
  const labelsOf = new Map(labelRows.map((r) => [r.id, fromJson<Record<string, string>>(r.labels, {})]));

  const types = rows
    .map((r): AutomationType => {
      const alert = r.alert_name;
      const labels: Record<string, string> = { ...labelsOf.get(Number(r.latest)) };
      if (alert !== null) labels.alertname = alert;
      if (r.service !== null) labels.service = r.service;
      return {
        alert,
        service: r.service,
        incidents: num(r.incidents) ?? 0,
        time_lost_ms: num(r.time_lost) ?? 0,
        median_mttr_ms: num(r.median),
        runbook: matchingRunbooks(config.runbooks, labels).length > 0,
        remediation: alert !== null && matchingRules(config.remediation, { name: alert, labels }).length > 0,
      };
    })
    .sort(byCount);
  const worst = types.filter((t) => !automated(t)).slice(0, AUTOMATION_TOP);
  const rest = types.filter((t) => !worst.includes(t));
  return { since, until, types: [...worst, ...rest], top: worst.length };
}
