import type { RemediationAction } from '../../config/index.js';
import { formatDuration } from '../../config/index.js';
import { DEFAULT_KILL_GRACE_MS } from '../../shared/process.js';
import type { ActionContext, ActionExecutor, ActionOfType, ActionOutcome, DescribeContext } from './action.js';
import { disableFlagExecutor } from './disable-flag.js';
import { enableFlagExecutor } from './enable-flag.js';
import { rolloutRestartExecutor } from './kubernetes-rollout-restart.js';
import { rolloutUndoExecutor } from './kubernetes-rollout-undo.js';
import { rollbackExecutor } from './rollback.js';
import { runCommandExecutor } from './run.js';
import { scaleDeploymentExecutor } from './scale-deployment.js';
import { scriptExecutor } from './script.js';
import { webhookExecutor } from './webhook.js';

type ActionType = RemediationAction['type'];

/** The remediation action types Medic knows: type → executor. Adding a type is one file and one line here. */
export const ACTION_EXECUTORS: { readonly [T in ActionType]: ActionExecutor<T> } = {
  kubernetes_rollout_restart: rolloutRestartExecutor,
  scale_deployment: scaleDeploymentExecutor,
  kubernetes_rollout_undo: rolloutUndoExecutor,
  script: scriptExecutor,
  run: runCommandExecutor,
  webhook: webhookExecutor,
  disable_flag: disableFlagExecutor,
  enable_flag: enableFlagExecutor,
  rollback: rollbackExecutor,
};

/**
 * After the deadline, how long an executor gets to stop (processes: SIGTERM, grace, SIGKILL) before the
 * caller stops waiting for it.
 */
const ABANDON_AFTER_MS = DEFAULT_KILL_GRACE_MS + 1000;

function executorFor(type: string): ActionExecutor<ActionType> {
  const executor = (ACTION_EXECUTORS as Record<string, ActionExecutor<ActionType> | undefined>)[type];
  if (!executor) throw new Error(`unknown remediation action type ${JSON.stringify(type)}`);
  return executor;
}

/**
 * Runs one action within `ctx.timeoutMs`. Never throws: failures, timeouts and cancellations are
 * outcomes, redacted. At the deadline the executor's signal aborts (a process group is killed, a
 * request cancelled); an executor that still has not finished a little later is no longer waited for.
 */
export async function executeAction(action: RemediationAction, ctx: ActionContext): Promise<ActionOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  let abandonTimer: NodeJS.Timeout | undefined;
  const deadlineTimer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('remediation action timed out'));
  }, ctx.timeoutMs);
  const onCancel = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onCancel();
  else ctx.signal.addEventListener('abort', onCancel, { once: true });

  const abandoned = new Promise<undefined>((resolve) => {
    const arm = () => (abandonTimer = setTimeout(() => resolve(undefined), ABANDON_AFTER_MS));
    if (controller.signal.aborted) arm();
    else controller.signal.addEventListener('abort', arm, { once: true });
  });

  let outcome: ActionOutcome | undefined;
  let thrown: unknown;
  try {
    const executor = executorFor(action.type);
    outcome = await Promise.race([executor.execute(action as ActionOfType<ActionType>, { ...ctx, signal: controller.signal }), abandoned]);
  } catch (err) {
    thrown = err;
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(abandonTimer);
    ctx.signal.removeEventListener('abort', onCancel);
  }

  const durationMs = performance.now() - started;
  let result: ActionOutcome;
  if (timedOut) {
    result = { ok: false, output: outcome?.output ?? '', error: `timed out after ${formatDuration(ctx.timeoutMs)}`, durationMs };
  } else if (ctx.signal.aborted) {
    result = { ok: false, output: outcome?.output ?? '', error: 'cancelled', durationMs };
  } else if (outcome === undefined) {
    result = { ok: false, output: '', error: thrown instanceof Error ? thrown.message : String(thrown), durationMs };
  } else {
    result = { ...outcome, durationMs };
  }
  if (outcome?.details && result.details === undefined) result.details = outcome.details;
  // Executors redact what they produce; this pass also covers error messages built from config values.
  return {
    ...result,
    output: ctx.redactor.redact(result.output),
    ...(result.error !== undefined ? { error: ctx.redactor.redact(result.error) } : {}),
    ...(result.details !== undefined ? { details: ctx.redactor.redactDeep(result.details) } : {}),
  };
}

/** One line saying what the action would do, for dry-run records; secrets redacted. Never throws. */
export function describeAction(action: RemediationAction, ctx: DescribeContext & Pick<ActionContext, 'redactor'>): string {
  try {
    return ctx.redactor.redact(executorFor(action.type).describe(action as ActionOfType<ActionType>, ctx));
  } catch (err) {
    return ctx.redactor.redact(`${action.type} (cannot describe: ${err instanceof Error ? err.message : String(err)})`);
  }
}

export type { ActionContext, ActionExecutor, ActionOutcome, DescribeContext, FlagSwitch } from './action.js';
