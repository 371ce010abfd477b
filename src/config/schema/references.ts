import type { z } from 'zod';
import { closest } from '../suggest.js';

/**
 * Checks that names used in one section exist in another (a `notify` channel, a flag key, a dependency),
 * and that names meant to be unique are. Runs on the parsed config, after every section is valid.
 */

interface Named {
  name: string;
}
interface Parsed {
  services: (Named & { depends_on: string[] })[];
  monitors: (Named & { notify?: string[] | undefined; service?: string | undefined })[];
  alerts: (Named & { notify?: string[] | undefined })[];
  runbooks: (Named & { steps: { kind: string }[] })[];
  loki?: unknown;
  remediation: { name: string; action: { type: string; notify?: string[] | undefined; flag?: string; service?: string | undefined } }[];
  flags: { key: string }[];
  notifications: Named[];
  routes: { notify: string[] }[];
  status_page?: { services: string[] } | undefined;
}

export function checkReferences(config: Parsed, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  const unique = (section: string, names: string[], key = 'name') => {
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (seen.has(n)) issue([section, i, key], `duplicate ${key} ${JSON.stringify(n)}`);
      seen.add(n);
    });
  };
  unique('services', config.services.map((s) => s.name));
  unique('monitors', config.monitors.map((m) => m.name));
  unique('alerts', config.alerts.map((a) => a.name));
  unique('runbooks', config.runbooks.map((r) => r.name));
  unique('flags', config.flags.map((f) => f.key), 'key');
  unique('notifications', config.notifications.map((c) => c.name));
  // Attempts are counted per incident and rule name: two rules sharing a name would share one limit.
  config.remediation.forEach((r, i) => {
    if (config.remediation.findIndex((o) => o.name === r.name) < i) {
      issue(['remediation', i, 'name'], `duplicate rule name ${JSON.stringify(r.name)} (a rule is named after its alert unless it has name:; give each rule for the same alert its own name)`);
    }
  });

  const channels = config.notifications.map((c) => c.name);
  const checkChannel = (path: (string | number)[], channelName: string) => {
    if (channels.includes(channelName)) return;
    const hint = closest(channelName, channels);
    issue(path, `unknown notification channel ${JSON.stringify(channelName)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; define it under notifications:`);
  };
  config.monitors.forEach((m, i) => m.notify?.forEach((c, j) => checkChannel(['monitors', i, 'notify', j], c)));
  config.alerts.forEach((a, i) => a.notify?.forEach((c, j) => checkChannel(['alerts', i, 'notify', j], c)));
  config.routes.forEach((r, i) => r.notify.forEach((c, j) => checkChannel(['routes', i, 'notify', j], c)));

  const serviceNames = config.services.map((s) => s.name);
  config.services.forEach((s, i) =>
    s.depends_on.forEach((d, j) => {
      if (serviceNames.includes(d)) return;
      const hint = closest(d, serviceNames);
      issue(['services', i, 'depends_on', j], `unknown service ${JSON.stringify(d)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`);
    }),
  );

  // A service exists when it is declared under services: or a monitor checks it; a typo on the status
  // page would otherwise be a service that is silently never shown.
  const known = [...new Set([...serviceNames, ...config.monitors.flatMap((m) => (m.service ? [m.service] : []))])];
  config.status_page?.services.forEach((s, i) => {
    if (config.status_page!.services.indexOf(s) < i) return issue(['status_page', 'services', i], `${JSON.stringify(s)} is listed twice`);
    if (known.includes(s)) return;
    const hint = closest(s, known);
    issue(['status_page', 'services', i], `unknown service ${JSON.stringify(s)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; declare it under services: or as a monitor's service:`);
  });

  const flagKeys = config.flags.map((f) => f.key);
  config.remediation.forEach((r, i) => {
    r.action.notify?.forEach((c, j) => checkChannel(['remediation', i, 'action', 'notify', j], c));
    if ((r.action.type === 'disable_flag' || r.action.type === 'enable_flag') && r.action.flag && !flagKeys.includes(r.action.flag)) {
      const hint = closest(r.action.flag, flagKeys);
      issue(['remediation', i, 'action', 'flag'], `unknown flag ${JSON.stringify(r.action.flag)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; define it under flags:`);
    }
    if (r.action.type === 'rollback' && r.action.service && !serviceNames.includes(r.action.service)) {
      issue(['remediation', i, 'action', 'service'], `unknown service ${JSON.stringify(r.action.service)}`);
    }
  });

  // A `loki:` step has nowhere to send its query without the top-level `loki:` section.
  if (config.loki === undefined) {
    config.runbooks.forEach((r, i) =>
      r.steps.forEach((st, j) => {
        if (st.kind === 'loki') issue(['runbooks', i, 'steps', j, 'loki'], 'a loki step needs the top-level loki: { url } section');
      }),
    );
  }
}
