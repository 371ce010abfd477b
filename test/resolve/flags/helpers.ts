import { flag, type FlagConfig } from '../../../src/config/index.js';
import { flagState, type FlagDefinition, type FlagRuntimeState, type FlagState } from '../../../src/resolve/flags/index.js';

/** A flag as medic.yaml would define it, run through the config schema (so conditions and percentages parse). */
export function flagConfig(input: Record<string, unknown>): FlagConfig {
  return flag.parse({ key: 'test_flag', ...input });
}

export function makeFlag(input: Record<string, unknown>, runtime?: FlagRuntimeState): FlagState {
  return flagState(flagConfig(input), runtime);
}

/**
 * A flag the config schema would refuse (a definition stored by another version, say), built without it:
 * evaluation must still answer, with an error rather than a crash.
 */
export function uncheckedFlag(input: Partial<FlagDefinition>): FlagState {
  return flagState({ key: 'test_flag', type: 'boolean', enabled: true, rollout: 1, rules: [], ...input });
}

export const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
