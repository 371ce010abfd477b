import { setTimeout } from 'node:timers/promises';
import type { MedicConfig, VerificationConfig } from '../config/index.js';
import type { Db } from '../store/index.js';
import { evaluateRecovery, nothingToWatch, watchersOf, type Evaluation } from './evaluate.js';
import { advance, startProgress } from './progress.js';
import { verificationSettings } from './settings.js';

/**
 * `medic verify <service>`: the same evaluations as the verification job, run here and now, one line
 * each as they come ("[12:00:30] Error rate: 0.4%, P95 latency: 212 ms"), ending with ✓ or ✗.
 */

export interface WatchOptions {
  service: string;
  /** Check results from this time on count (the open incident's fix, or a moment before now). */
  since: number;
  overrides?: Partial<Pick<VerificationConfig, 'window' | 'interval'>>;
  now: () => number;
  /** Aborting ends the wait for the next evaluation at once; the watch then ends unverified. */
  signal: AbortSignal;
  onLine: (line: string) => void;
}

export interface WatchResult {
  verified: boolean;
  nothingToWatch: boolean;
  evaluations: Evaluation[];
}

export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export async function watchRecovery(db: Db, config: Pick<MedicConfig, 'verification' | 'services' | 'monitors' | 'prometheus'>, o: WatchOptions): Promise<WatchResult> {
  const settings = { ...verificationSettings(config, o.service), ...o.overrides };
  const watchers = await watchersOf(db, config, o.service);
  if (nothingToWatch(watchers)) {
    o.onLine(`✓ nothing to watch: ${o.service} has no monitors and no metrics (with prometheus.url), so there is nothing to disprove recovery`);
    return { verified: true, nothingToWatch: true, evaluations: [] };
  }
  let progress = startProgress(o.now(), settings);
  const evaluations: Evaluation[] = [];
  for (;;) {
    const at = o.now();
    const evaluation = await evaluateRecovery(db, config, { service: o.service, since: o.since, at, settings, watchers, signal: o.signal });
    evaluations.push(evaluation);
    o.onLine(`[${clockTime(at)}] ${evaluation.line}`);
    const step = advance(progress, evaluation, settings);
    progress = step.progress;
    if (step.step.outcome === 'verified') {
      o.onLine('✓ Service metrics are healthy. Recovery confirmed.');
      return { verified: true, nothingToWatch: false, evaluations };
    }
    if (step.step.outcome === 'failed' || o.signal.aborted) {
      o.onLine('✗ Service did not recover within the expected window.');
      return { verified: false, nothingToWatch: false, evaluations };
    }
    await setTimeout(Math.max(0, step.step.nextAt - o.now()), undefined, { signal: o.signal }).catch(() => undefined);
  }
}
