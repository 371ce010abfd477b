import { runShell } from '../../shared/process.js';
import type { ActionExecutor } from './action.js';
import { actionProcessSpec, processOutcome } from './process-outcome.js';

/**
 * `run` — a shell command from config, through /bin/sh -c. Alert data reaches it only as environment
 * variables ($MEDIC_SERVICE, $MEDIC_LABEL_<NAME>, …), never as command text.
 */
export const runCommandExecutor: ActionExecutor<'run'> = {
  type: 'run',
  async execute(action, ctx) {
    const result = await runShell(action.command, actionProcessSpec(ctx, action.env));
    return processOutcome(result, ctx.timeoutMs);
  },
  describe(action) {
    const env = Object.keys(action.env);
    return `run shell command: ${action.command}${env.length ? ` (extra env: ${env.join(', ')})` : ''}`;
  },
};
