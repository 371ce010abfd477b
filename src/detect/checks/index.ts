import type { MonitorConfig, MonitorType } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { failed, ms, type CheckContext, type CheckOutcome, type CheckType, type MonitorOfType } from './check.js';
import { applyDegraded } from './degraded.js';
import { dnsCheck } from './dns.js';
import { heartbeatCheck } from './heartbeat.js';
import { httpCheck } from './http.js';
import { multiStepCheck } from './multi-step.js';
import { withRetry } from './retry.js';
import { tcpCheck } from './tcp.js';
import { tlsCheck } from './tls.js';

/**
 * The check types by monitor `type`. Adding a type is one file implementing CheckType and one line
 * here; the mapped type makes a missing or mistyped entry a compile error.
 */
export const checkTypes: { readonly [K in MonitorType]: CheckType<MonitorOfType<K>> } = {
  http: httpCheck,
  'multi-step': multiStepCheck,
  tcp: tcpCheck,
  dns: dnsCheck,
  tls: tlsCheck,
  heartbeat: heartbeatCheck,
};

/**
 * Runs one monitor once: the check type's attempt, its `retry` policy, then `degraded_if`. Never throws
 * — the scheduler runs a thousand of these a second and one bug in one check type must not stop it —
 * so any unexpected error becomes a down outcome that names it.
 */
export async function runCheck(monitor: MonitorConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  try {
    const type = checkTypes[monitor.type] as CheckType | undefined;
    if (!type) return failed(`unknown monitor type ${JSON.stringify(monitor.type)}`, 0);
    if (ctx.signal.aborted) return failed('check aborted before it started', 0);
    const attempt = async (): Promise<CheckOutcome> => {
      const attemptStarted = performance.now();
      try {
        return await type.run(monitor, ctx);
      } catch (err) {
        return failed(`internal error in the ${monitor.type} check: ${describeError(err)}`, ms(performance.now() - attemptStarted));
      }
    };
    const outcome = await withRetry(monitor.retry, ctx.signal, attempt);
    return applyDegraded(outcome, monitor.degraded_if);
  } catch (err) {
    return failed(`internal error: ${describeError(err)}`, ms(performance.now() - started));
  }
}

export type { AssertionResult, CheckContext, CheckOutcome, CheckStatus, CheckType, MonitorOfType, StepResult, Timings } from './check.js';
export { closeHttpClients } from './http-connection.js';
export { formatOutcome } from './format.js';
