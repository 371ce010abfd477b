import { evaluateCondition, type AlertRuleConfig, type MedicConfig } from '../../config/index.js';
import { ingestAlerts, type IncidentContext, type IncomingAlert } from '../../incidents/index.js';
import type { Logger } from '../../shared/logger.js';
import { measureWindow, type WindowMeasures } from '../monitors/measure.js';

/**
 * `alerts:` entries with a `condition` (and `source: medic`) are evaluated here over the check results
 * of their service's monitors, every `evaluation_interval`. A condition that holds for `for` fires the
 * alert through the same ingest as Alertmanager's; when it stops holding, the alert resolves.
 *
 * Whether a rule fires is read back from the alert's stored state, so a restarted worker resolves what
 * its predecessor fired, and several workers evaluating the same rule only repeat a deduplicated alert.
 */

export const ruleFingerprint = (name: string) => `rule:${name}`;

interface RuleState {
  nextAt: number;
  /** When the condition started to hold (null: it does not). */
  holdingSince: number | null;
}

export class AlertRuleEvaluator {
  private readonly states = new Map<string, RuleState>();

  constructor(
    private readonly ctx: IncidentContext,
    private readonly config: () => Pick<MedicConfig, 'alerts' | 'monitors'>,
    private readonly logger: Logger,
  ) {}

  private rules(): AlertRuleConfig[] {
    return this.config().alerts.filter((a) => a.condition !== undefined && a.source === 'medic');
  }

  /** Evaluates every rule that is due; returns the names that fired or resolved. */
  async tick(): Promise<string[]> {
    const now = this.ctx.clock.now();
    const changed: string[] = [];
    for (const rule of this.rules()) {
      const state = this.states.get(rule.name) ?? { nextAt: now, holdingSince: null };
      this.states.set(rule.name, state);
      if (now < state.nextAt) continue;
      state.nextAt = now + rule.evaluation_interval;
      try {
        if (await this.evaluate(rule, state, now)) changed.push(rule.name);
      } catch (err) {
        this.logger.warn({ err, alert: rule.name }, 'evaluating an alert rule failed');
      }
    }
    return changed;
  }

  private async evaluate(rule: AlertRuleConfig, state: RuleState, now: number): Promise<boolean> {
    const db = this.ctx.store.db;
    const names = rule.monitors ?? this.config().monitors.filter((m) => m.service === rule.service && m.enabled).map((m) => m.name);
    const ids = names.length === 0 ? [] : (await db.selectFrom('monitors').select('id').where('name', 'in', names).execute()).map((r) => Number(r.id));
    const measures = await measureWindow(db, ids, now - rule.window, now);
    // No results in the window is no evidence either way: keep the alert as it is.
    if (!measures) return false;
    const holds = evaluateCondition(rule.condition!, measures as unknown as Record<string, unknown>);
    state.holdingSince = holds ? (state.holdingSince ?? now) : null;
    const stored = await db.selectFrom('alert_states').select(['status', 'starts_at']).where('fingerprint', '=', ruleFingerprint(rule.name)).executeTakeFirst();
    const firing = stored?.status === 'firing';
    if (holds && !firing && now - state.holdingSince! >= rule.for) {
      await ingestAlerts(this.ctx, [ruleAlert(rule, 'firing', state.holdingSince!, measures)], `rule:${rule.name}`);
      return true;
    }
    if (!holds && firing) {
      await ingestAlerts(this.ctx, [ruleAlert(rule, 'resolved', Number(stored.starts_at), measures)], `rule:${rule.name}`);
      return true;
    }
    return false;
  }
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function ruleAlert(rule: AlertRuleConfig, status: 'firing' | 'resolved', startsAt: number, m: WindowMeasures): IncomingAlert {
  const summary = `${rule.condition!.source} (availability ${pct(m.availability)}, p95 ${Math.round(m.p95_ms)} ms over ${m.runs} runs)`;
  return {
    source: 'rule',
    name: rule.name,
    fingerprint: ruleFingerprint(rule.name),
    status,
    service: rule.service,
    severity: rule.severity,
    labels: { ...rule.labels, alertname: rule.name, service: rule.service, alert_type: rule.type, severity: rule.severity },
    annotations: { summary, ...(rule.description ? { description: rule.description } : {}) },
    startsAt,
    endsAt: status === 'resolved' ? startsAt : null,
    title: rule.description ?? `${rule.name}: ${summary}`,
    ...(rule.notify ? { notify: rule.notify } : {}),
  };
}
