import { expect } from 'vitest';
import { ConfigError, loadConfigText, type ConfigProblem } from '../../src/config/index.js';

/** The located problems of a config that must be rejected (the test fails if it loads). */
export function configProblems(text: string): ConfigProblem[] {
  try {
    loadConfigText(text, { file: 'medic.yaml', env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}
