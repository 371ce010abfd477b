/**
 * Text for a terminal: a line is a list of styled segments, cut to the screen's width before any
 * escape code is added (so cutting never splits one), then painted with ANSI colours or left plain.
 * Also the number and time formats the dashboard uses, all pure.
 */

export type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan' | 'inverse';
export type Segment = readonly [text: string, style?: Style];
export type Line = Segment[];

const SGR: Record<Style, string> = { bold: '1', dim: '2', red: '31', yellow: '33', green: '32', cyan: '36', inverse: '7' };

export const width = (line: Line) => line.reduce((n, [t]) => n + [...t].length, 0);

/** The line cut to `max` columns, with "…" where it was cut. */
export function fit(line: Line, max: number): Line {
  if (width(line) <= max) return line;
  const out: Line = [];
  let room = Math.max(0, max - 1);
  for (const [text, style] of line) {
    if (room <= 0) break;
    const chars = [...text];
    out.push(style ? [chars.slice(0, room).join(''), style] : [chars.slice(0, room).join('')]);
    room -= Math.min(room, chars.length);
  }
  out.push(['…', 'dim']);
  return out;
}

export function pad(line: Line, to: number): Line {
  const w = width(line);
  return w >= to ? line : [...line, [' '.repeat(to - w)]];
}

export function paint(line: Line, color: boolean): string {
  return line.map(([text, style]) => (color && style ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text)).join('');
}

// — numbers —

export function formatPercent(fraction: number | null): string {
  return fraction === null ? '—' : `${(fraction * 100).toFixed(1)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatCount(n: number | null): string {
  if (n === null) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n < 10 ? n.toFixed(1).replace(/\.0$/, '') : Math.round(n).toString();
}

/** Minutes, hours and days since `from`, the way a glance wants them: 45s, 3m, 2h5m, 3d2h. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** HH:MM (or HH:MM:SS) at a UTC offset: the caller knows the terminal's time zone, tests pass 0. */
export function formatClock(ms: number, offsetMinutes: number, seconds = false): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
}

/**
 * The change against the window before: ▲/▼ and the difference (percentage points for a rate), red
 * when it moved the bad way (`bad`), green the good way. Nothing when there is no earlier figure.
 */
export function formatDelta(value: number | null, previous: number | null, kind: 'rate' | 'ms' | 'count', bad: 'up' | 'down' | null): Segment | undefined {
  if (value === null || previous === null) return undefined;
  const diff = value - previous;
  const shown = kind === 'rate' ? (Math.abs(diff) * 100).toFixed(1) : kind === 'ms' ? Math.round(Math.abs(diff)).toString() : formatCount(Math.abs(diff));
  if (Number(shown.replace(/[^\d.]/g, '')) === 0) return ['=', 'dim'];
  const up = diff > 0;
  const text = `${up ? '▲' : '▼'}${shown}`;
  if (bad === null) return [text];
  return [text, up === (bad === 'up') ? 'red' : 'green'];
}
