export { formatPath } from '../shared/zod-issues.js';

/** A config problem, located well enough for a person to fix it without searching. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Key path such as `monitors[0].steps[1].assert_status` (empty for the whole file). */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

