import type { ServiceConfig } from '../config/index.js';

/**
 * The service dependency graph from `services[].depends_on`: which services an outage can explain, and
 * the tree of what an incident affects.
 */

export interface DependencyGraph {
  /** Every service `service` depends on, directly or through others, nearest first. */
  dependenciesOf(service: string): string[];
  /** Services that depend on `service`, directly. */
  dependentsOf(service: string): string[];
}

export function dependencyGraph(services: readonly Pick<ServiceConfig, 'name' | 'depends_on'>[]): DependencyGraph {
  const deps = new Map(services.map((s) => [s.name, s.depends_on]));
  const dependents = new Map<string, string[]>();
  for (const s of services) for (const d of s.depends_on) dependents.set(d, [...(dependents.get(d) ?? []), s.name]);
  return {
    dependenciesOf(service) {
      // Breadth-first, so the nearest dependency with an open incident is the one a symptom joins;
      // `seen` stops at cycles in a hand-written graph.
      const out: string[] = [];
      const seen = new Set([service]);
      let frontier = deps.get(service) ?? [];
      while (frontier.length > 0) {
        const next: string[] = [];
        for (const d of frontier) {
          if (seen.has(d)) continue;
          seen.add(d);
          out.push(d);
          next.push(...(deps.get(d) ?? []));
        }
        frontier = next;
      }
      return out;
    },
    dependentsOf: (service) => dependents.get(service) ?? [],
  };
}

export interface AffectedTree {
  service: string;
  /** Alert names seen on this service within the incident. */
  alerts: string[];
  affected: AffectedTree[];
}

/**
 * The tree of an incident: its service at the root, and under each service the dependents that reported
 * symptoms (directly or through another affected service).
 */
export function affectedTree(root: string, symptoms: { service: string; alert: string }[], graph: DependencyGraph): AffectedTree {
  const alertsBy = new Map<string, Set<string>>();
  for (const s of symptoms) alertsBy.set(s.service, (alertsBy.get(s.service) ?? new Set()).add(s.alert));
  const build = (service: string, seen: Set<string>): AffectedTree | undefined => {
    const children = graph
      .dependentsOf(service)
      .filter((d) => !seen.has(d))
      .map((d) => build(d, new Set([...seen, d])))
      .filter((c): c is AffectedTree => c !== undefined);
    if (service !== root && !alertsBy.has(service) && children.length === 0) return undefined;
    return { service, alerts: [...(alertsBy.get(service) ?? [])].sort(), affected: children };
  };
  return build(root, new Set([root]))!;
}
