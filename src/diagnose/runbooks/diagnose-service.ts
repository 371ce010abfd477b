import { openForService, type Incident } from '../../incidents/index.js';
import { stepTargets, type DiagnoseContext } from '../context.js';
import { formatRunbookReport, type IncidentRef } from '../steps/index.js';
import { runRunbook } from './execute.js';
import { matchingRunbooks } from './match.js';
import { incidentRef } from './ref.js';
import { diagnosticReportTitle } from './title.js';

/**
 * `medic diagnose <service>`: the matching runbooks, run now, each as a printed report. For the
 * service's newest open incident when it has one (its labels pick the runbooks, its data fills $MEDIC_*);
 * otherwise for a stand-in incident that has only the service (MEDIC_SERVICE, MEDIC_LABEL_SERVICE).
 * Nothing is written to the timeline: the automatic runs at opening already are.
 */

export interface ServiceDiagnosis {
  incident: Incident | undefined;
  runs: Array<{ runbook: string; report: string; steps: number; failed: number }>;
}

export async function diagnoseService(ctx: DiagnoseContext, service: string, signal: AbortSignal): Promise<ServiceDiagnosis> {
  const [incident] = await openForService(ctx.incidents.store.db, service, { order: 'newest' });
  const ref: IncidentRef = incident
    ? incidentRef(incident)
    : { id: 0, service, alertName: null, severity: 'P4', labels: { ...ctx.config.services.find((s) => s.name === service)?.labels, service } };
  const labels = incident ? incident.labels : ref.labels;
  const runs: ServiceDiagnosis['runs'] = [];
  for (const runbook of matchingRunbooks(ctx.config.runbooks, labels)) {
    const generatedAt = ctx.incidents.clock.now();
    const result = await runRunbook(runbook, { incident: ref, redactor: ctx.redactor, ...stepTargets(ctx.config), cwd: ctx.baseDir, signal });
    const report = formatRunbookReport({
      title: diagnosticReportTitle(service),
      generatedAt,
      context: [
        incident ? `Incident: #${incident.id} ${incident.alertName ?? incident.title} (${incident.severity}, ${incident.status})` : `Incident: none open (run with MEDIC_SERVICE=${service} only)`,
        `Runbook: ${runbook.name}`,
      ],
      steps: result.steps,
    });
    runs.push({ runbook: runbook.name, report, steps: result.steps.length, failed: result.steps.filter((s) => !s.result.ok).length });
  }
  return { incident, runs };
}
