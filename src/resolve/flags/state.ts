import type { Condition } from '../../config/condition.js';
import type { FlagConfig } from '../../config/schema/flags.js';

/**
 * What a flag evaluates from: its definition (from medic.yaml or the API) merged with its current
 * on/off state and rollout. The database holds the current state, and it wins over the config: a
 * remediation that disabled a flag keeps it disabled until someone (or a changed config entry) says
 * otherwise.
 */

export type FlagType = FlagConfig['type'];

/** OFREP metadata: flat values only. */
export type FlagMetadata = Readonly<Record<string, string | number | boolean>>;

export interface FlagRuleState {
  readonly when: Condition;
  /** Variant served when the rule matches; the flag's default variant when left out. */
  readonly variant: string;
  /** Share of matching targeting keys the rule applies to (0 … 1); the others fall through to the next rules. */
  readonly rollout: number;
}

export interface FlagState {
  readonly key: string;
  readonly type: FlagType;
  readonly variants: Readonly<Record<string, unknown>>;
  /** Served to everyone no rule targets and inside the rollout. */
  readonly defaultVariant: string;
  /** Served when the flag is disabled and outside the rollout. */
  readonly offVariant: string;
  readonly rules: readonly FlagRuleState[];
  readonly enabled: boolean;
  /** Share of targeting keys (0 … 1) that get the default variant; the rest get the off variant. */
  readonly rollout: number;
  /** Returned with every successful evaluation (e.g. the flag's version). */
  readonly metadata: FlagMetadata;
}

/** The part of a flag that changes at run time, as the `flags` table holds it. */
export interface FlagRuntimeState {
  enabled: boolean;
  rollout: number;
  /** The row's version, reported in the evaluation metadata so a client can tell which state it saw. */
  version?: number;
}

/** Boolean flags get these when their config names no variants. */
export const BOOLEAN_VARIANTS: Readonly<Record<string, unknown>> = Object.freeze({ on: true, off: false });

/** The definition fields of a flag's config entry that evaluation needs. */
export type FlagDefinition = Pick<FlagConfig, 'key' | 'type' | 'variants' | 'default_variant' | 'off_variant' | 'rules' | 'enabled' | 'rollout'>;

/**
 * A flag's evaluation state: its definition with the defaults filled in, and the runtime state (when
 * given) in place of the config's `enabled` and `rollout`. The result is frozen: evaluation caches
 * work derived from it, so it must not change under the cache.
 */
export function flagState(definition: FlagDefinition, runtime?: FlagRuntimeState): FlagState {
  const variants = definition.variants ?? (definition.type === 'boolean' ? BOOLEAN_VARIANTS : {});
  const defaultVariant = definition.default_variant ?? 'on';
  const metadata: Record<string, string | number | boolean> = {};
  if (runtime?.version !== undefined) metadata.version = runtime.version;
  return Object.freeze({
    key: definition.key,
    type: definition.type,
    variants: deepFreeze(structuredClone(variants)),
    defaultVariant,
    offVariant: definition.off_variant ?? 'off',
    rules: Object.freeze(
      definition.rules.map((r) => Object.freeze({ when: r.when, variant: r.variant ?? defaultVariant, rollout: r.rollout ?? 1 })),
    ),
    enabled: runtime?.enabled ?? definition.enabled,
    rollout: runtime?.rollout ?? definition.rollout,
    metadata: Object.freeze(metadata),
  });
}

/** Variant values are handed to every caller as they are; freezing them keeps one caller from changing them for all. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
