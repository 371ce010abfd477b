import { flag, type FlagConfig } from '../../../src/config/index.js';
import { flagState, type FlagRuntimeState, type FlagState } from '../../../src/resolve/flags/index.js';

/** A flag as medic.yaml would define it, run through the config schema (so conditions and percentages parse). */
export function flagConfig(input: Record<string, unknown>): FlagConfig {
  return flag.parse({ key: 'test_flag', ...input });
}

export function makeFlag(input: Record<string, unknown>, runtime?: FlagRuntimeState): FlagState {
  return flagState(flagConfig(input), runtime);
}

export const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
