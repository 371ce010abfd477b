import { z } from 'zod';
import { alertRule } from './alerts.js';
import { flag } from './flags.js';
import { monitor } from './monitors.js';
import { oncall, person } from './oncall.js';
import { channel, delivery, route } from './notifications.js';
import { remediationRule } from './remediation.js';
import { runbook } from './runbooks.js';
import { auth, incidents, kubernetes, loki, prometheus, retention, server, silence, storage, tracing, workers } from './runtime.js';
import { service, verification } from './services.js';
import { statusPage } from './status-page.js';
import { checkReferences } from './references.js';
import { checkOncallReferences } from './oncall-references.js';

/** The whole medic.yaml: the single source of every config type in Medic. */
export const configSchema = z
  .strictObject({
    server: server.prefault({}),
    storage: storage.prefault({}),
    auth: auth.prefault({}),
    workers: workers.prefault({}),
    incidents: incidents.prefault({}),
    prometheus: prometheus.optional(),
    loki: loki.optional(),
    kubernetes: kubernetes.prefault({}),
    tracing: tracing.prefault({}),
    retention: retention.prefault({}),
    services: z.array(service).default([]),
    monitors: z.array(monitor).default([]),
    alerts: z.array(alertRule).default([]),
    runbooks: z.array(runbook).default([]),
    remediation: z.array(remediationRule).default([]),
    verification: verification.prefault({}),
    flags: z.array(flag).default([]),
    notifications: z.array(channel).default([]),
    routes: z.array(route).default([]),
    delivery: delivery.prefault({}),
    silences: z.array(silence).default([]),
    status_page: statusPage.optional().describe('The public status page (none unless this section is there).'),
    people: z.array(person).default([]).describe('People who can be paged, with their contacts.'),
    oncall: oncall.prefault({}).describe('On-call schedules and escalation policies.'),
  })
  .superRefine(checkReferences)
  .superRefine(checkOncallReferences);

export type MedicConfig = z.infer<typeof configSchema>;
export type MedicConfigInput = z.input<typeof configSchema>;

export * from './alerts.js';
export * from './common.js';
export * from './flags.js';
export * from './http.js';
export * from './monitors.js';
export * from './notifications.js';
export * from './oncall.js';
export * from './remediation.js';
export * from './runbooks.js';
export * from './runtime.js';
export * from './services.js';
export * from './status-page.js';
