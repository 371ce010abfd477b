import type { ActionContext, ActionOutcome } from './action.js';

/**
 * Turns a flag on or off through ctx.flags on behalf of the incident: the kill switch's "disable the flag —
 * no deployment required". Shared by disable_flag and enable_flag.
 */
export async function setFlag(flag: string, enabled: boolean, ctx: ActionContext): Promise<ActionOutcome> {
  const started = performance.now();
  const word = enabled ? 'enabled' : 'disabled';
  const { changed } = await ctx.flags.setEnabled(flag, enabled, {
    actor: ctx.actor ?? 'system',
    reason: `remediation of incident #${ctx.incident.id}${ctx.incident.alertName ? ` (${ctx.incident.alertName})` : ''}`,
    incidentId: ctx.incident.id,
  });
  return {
    ok: true,
    output: changed ? `flag ${flag} ${word}` : `flag ${flag} was already ${word}`,
    durationMs: performance.now() - started,
    details: { flag, enabled, changed },
  };
}
