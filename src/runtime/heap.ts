import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept, for processes that
 * serve Medic (`medic start`, `medic worker`, the demo).
 *
 * V8 picks that factor itself, up to 4× on a machine with memory to spare. A scheduler running thousands
 * of checks promotes a steady stream of short-lived objects (sockets, requests, timings) to the old
 * generation, so with V8's own factor a `medic start` with 10,000 monitors kept about 100 MB alive but
 * held 450–550 MB, most of it garbage waiting for a full collection that the growth factor kept putting
 * off. At 25 % it holds about 250 MB for a few more full collections (each a few ms, incremental). The
 * flag is read at every collection, so setting it at run time works; a user's own
 * `--heap-growing-percent` (NODE_OPTIONS or the command line) or `MEDIC_HEAP_GROWING_PERCENT` wins, and
 * `MEDIC_HEAP_GROWING_PERCENT=0` leaves the choice to V8.
 */
export const HEAP_GROWING_PERCENT = 25;

/** The growing percent set (undefined when the user's setting or V8's own choice stands). */
export function tuneHeap(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): number | undefined {
  const flags = `${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`;
  if (/--heap[-_]growing[-_]percent/.test(flags)) return undefined;
  const wanted = env.MEDIC_HEAP_GROWING_PERCENT;
  const percent = wanted === undefined || wanted === '' ? HEAP_GROWING_PERCENT : Number(wanted);
  if (!Number.isInteger(percent) || percent <= 0 || percent > 1000) return undefined;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
