import path from 'node:path';
import { runProcess } from '../../shared/process.js';
import type { ActionExecutor } from './action.js';
import { actionProcessSpec, processOutcome } from './process-outcome.js';

/**
 * `script` — an executable file (relative paths resolve against the config's folder) started directly
 * with its configured args: no shell parses anything, and alert data arrives only as environment
 * variables. It runs in the config's folder.
 */

export function scriptPath(script: string, baseDir: string): string {
  return path.resolve(baseDir, script);
}

export const scriptExecutor: ActionExecutor<'script'> = {
  type: 'script',
  async execute(action, ctx) {
    const result = await runProcess({
      file: scriptPath(action.script, ctx.baseDir),
      args: action.args,
      ...actionProcessSpec(ctx, action.env),
    });
    return processOutcome(result, ctx.timeoutMs);
  },
  describe(action, ctx) {
    const args = action.args.length ? ` with args ${JSON.stringify(action.args)}` : '';
    const env = Object.keys(action.env);
    return `run script ${scriptPath(action.script, ctx.baseDir)}${args}${env.length ? ` (extra env: ${env.join(', ')})` : ''}`;
  },
};
