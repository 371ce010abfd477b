import { formatDuration } from '../../config/index.js';
import type { FlagSummary } from './queries.js';
import type { FlagChange, FlagLiveState } from './records.js';

/** Text renderings of flags for the terminal (`medic flags list`, `medic flags disable|enable`). */

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 10_000) / 100}%`;
}

function stateWord(s: Pick<FlagLiveState, 'enabled' | 'rollout'> | null): string {
  if (!s) return 'absent';
  return s.enabled ? `on ${formatPercent(s.rollout)}` : 'off';
}

/** "2m ago by cli:alice for #12: errors spiking (on 100% → off)". */
export function describeFlagChange(c: FlagChange, now: number): string {
  const ago = `${formatDuration(Math.max(0, now - c.at))} ago`;
  const incident = c.incidentId === null ? '' : ` for #${c.incidentId}`;
  return `${ago} by ${c.actor}${incident}: ${c.reason} (${stateWord(c.before)} → ${stateWord(c.after)})`;
}

export function formatFlagList(flags: FlagSummary[], now: number): string {
  if (flags.length === 0) return 'No flags. Define them under flags: in medic.yaml.';
  const header = ['KEY', 'STATE', 'ROLLOUT', 'SERVICE', 'VERSION', 'LAST CHANGE'];
  const rows = flags.map((f) => [
    f.key,
    f.error ? 'error' : f.enabled ? 'on' : 'off',
    formatPercent(f.rollout),
    f.service ?? '—',
    `v${f.version}`,
    f.error ? `unreadable definition: ${f.error}` : f.lastChange ? describeFlagChange(f.lastChange, now) : '—',
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}
