import { loadConfigText, Redactor } from '../../src/config/index.js';
import type { IncidentContext, IncidentReactor, IncomingAlert } from '../../src/incidents/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { NewRow, Store } from '../../src/store/index.js';

export const T0 = Date.UTC(2026, 10, 27, 12);

/** An incident context over a real store, with a hand-driven clock and the given config. */
export function incidentContext(store: Store, configYaml = '', options: { reactors?: IncidentReactor[]; secrets?: string[] } = {}) {
  const clock = new ManualClock(T0);
  const { config } = loadConfigText(configYaml, { env: {} });
  const ctx: IncidentContext = { store, clock, redactor: new Redactor(options.secrets ?? []), config, reactors: options.reactors ?? [] };
  return { ctx, clock };
}

let n = 0;
/** A firing alert with sensible defaults. */
export function alert(overrides: Partial<IncomingAlert> = {}): IncomingAlert {
  n++;
  const name = overrides.name ?? 'HighErrorRate';
  const service = overrides.service === undefined ? 'payment' : overrides.service;
  return {
    source: 'webhook',
    name,
    fingerprint: overrides.fingerprint ?? `fp-${name}-${service}`,
    status: 'firing',
    service,
    severity: 'P2',
    labels: { alertname: name, ...(service ? { service } : {}) },
    annotations: {},
    startsAt: T0 - 60_000,
    endsAt: null,
    title: `${name} #${n}`,
    ...overrides,
  };
}

/** A row for insertIncident: a closed HighErrorRate P1 on payment at T0, with what a test sets. */
export function incidentRow(overrides: Partial<NewRow<'incidents'>> = {}): NewRow<'incidents'> {
  return {
    fingerprint: 'fp-payment-errors',
    title: 'HighErrorRate on payment',
    service: 'payment',
    severity: 'P1',
    labels: '{}',
    status: 'closed',
    source: 'alert',
    alert_name: 'HighErrorRate',
    group_key: null,
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}
