import type { MedicConfig } from '../config/index.js';
import { instantQuery, queryTarget } from '../shared/prometheus.js';

/**
 * One number from Prometheus (through the one client, shared/prometheus.ts): an instant query whose
 * answer is a scalar or a vector of one series, as a service's `metrics:` PromQL gives
 * (`sum(rate(…)) / sum(rate(…))`). No series, or NaN (0/0: no requests at all), is "no data", which
 * proves nothing either way.
 */

export type PromNumber = { value: number } | { value: null; error?: string };

/** `at` (ms) evaluates the query at that time instead of now: the command center's window before. */
export async function queryNumber(prometheus: NonNullable<MedicConfig['prometheus']>, query: string, signal?: AbortSignal, at?: number): Promise<PromNumber> {
  const answer = await instantQuery(queryTarget(prometheus), query, { signal, at });
  if (!answer.ok) return { value: null, error: answer.error };
  const { result } = answer;
  let value: number | undefined;
  if (result.resultType === 'scalar') value = result.result;
  else if (result.resultType === 'vector') {
    if (result.result.length > 1) return { value: null, error: `the query gives ${result.result.length} series; verification needs one number (aggregate it with sum(…))` };
    value = result.result[0]?.value;
  } else return { value: null, error: `the query gives a ${result.resultType} result; verification needs one number` };
  return value === undefined || Number.isNaN(value) ? { value: null } : { value };
}
