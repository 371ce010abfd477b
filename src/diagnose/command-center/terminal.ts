import type { CommandCenter, Tile } from './schema.js';
import { fit, formatAge, formatClock, formatCount, formatDelta, formatMs, formatPercent, pad, paint, type Line, type Segment } from './terminal-text.js';

/**
 * The command center as a terminal screen (`medic dashboard`): three tiles, the error rate by service as
 * bars, then what is on fire and what changed, each section cut to fit the screen with "… N more".
 * A pure function of the data and the screen size, so every frame is testable as text.
 */

export interface TerminalFrameOptions {
  width: number;
  height: number;
  /** The time the frame is drawn at (ages are counted from it). */
  now: number;
  /** Minutes east of UTC for clock times (the terminal's time zone). */
  utcOffsetMinutes?: number;
  color?: boolean;
  /** Where the data comes from, for the header ("http://medic:8080", "sqlite ./data/medic.db"). */
  source?: string;
  /** Why the latest refresh failed (the last good data is still shown). */
  error?: string;
  /** Seconds between refreshes, for the footer. */
  refreshSeconds?: number;
  /**
   * A full screen (default): padded to `height`, the footer on the last line, with the keys. Otherwise
   * one printed frame: only the lines there are.
   */
  interactive?: boolean;
}

interface Section {
  title: Line;
  /** Shown alone when there are no rows. */
  empty: string;
  rows: Line[];
  /** Rows that exist beyond `rows`. */
  more: number;
}

const MIN_WIDTH = 20;

export function renderCommandCenter(data: CommandCenter | undefined, o: TerminalFrameOptions): string[] {
  const w = Math.max(MIN_WIDTH, o.width);
  const tz = o.utcOffsetMinutes ?? 0;
  const interactive = o.interactive ?? true;
  const header: Line = [['Medic', 'bold'], [' command center']];
  if (data) header.push([` · last ${formatAge(data.window.ms)} vs the ${formatAge(data.window.ms)} before`, 'dim']);
  if (o.source) header.push([` · ${o.source}`, 'dim']);
  const footer: Line = o.error
    ? [['! ', 'red'], [o.error, 'red']]
    : [
        ...(interactive ? [['q', 'bold'] as Segment, [' quit · '] as Segment] : []),
        [data ? `updated ${formatClock(data.generatedAt, tz, true)}` : 'connecting…', 'dim'],
        [o.refreshSeconds ? ` · every ${o.refreshSeconds}s` : '', 'dim'],
      ];

  const lines: Line[] = [header];
  if (data) {
    lines.push(...tileRows(data, w));
    const room = Math.max(0, o.height - lines.length - 1);
    lines.push(...layout(sections(data, w, o.now, tz), room));
  }
  if (interactive) while (lines.length < o.height - 1) lines.push([]);
  lines.push(footer);
  return lines.slice(0, Math.max(1, o.height)).map((l) => paint(fit(l, w), o.color ?? false));
}

// — tiles —

function tileLines(label: string, t: Tile, shown: string, delta: Segment | undefined, size: number): Line[] {
  const inner = size - 2;
  const top: Line = [['┌ '], [label, 'bold'], [` ${'─'.repeat(Math.max(0, inner - label.length - 2))}┐`]];
  const value: Line = [[' '], [shown, 'bold'], ...(delta ? [[' '] as Segment, delta] : [])];
  const basis: Line = [[' '], [`${t.source === 'prometheus' ? 'Prometheus' : 'checks'} · ${t.basis}`, 'dim']];
  // One blank column before the right border, so text never touches it.
  const body = (l: Line): Line => [['│'], ...pad(fit(l, inner - 1), inner), ['│']];
  return [top, body(value), body(basis), [[`└${'─'.repeat(inner)}┘`]]];
}

function tileRows(data: CommandCenter, w: number): Line[] {
  const { errorRate, latencyP95Ms, throughputPerMinute: tp } = data.tiles;
  const unit = tp.source === 'prometheus' ? 'rpm' : 'runs/min';
  const tiles = [
    ['Error rate', errorRate, formatPercent(errorRate.value), formatDelta(errorRate.value, errorRate.previous, 'rate', 'up')],
    ['P95 latency', latencyP95Ms, formatMs(latencyP95Ms.value), formatDelta(latencyP95Ms.value, latencyP95Ms.previous, 'ms', 'up')],
    ['Throughput', tp, `${formatCount(tp.value)} ${unit}`, formatDelta(tp.value, tp.previous, 'count', null)],
  ] as const;
  const size = Math.floor((w - 2) / 3);
  if (size < 16) {
    // Too narrow for boxes side by side: one line each.
    return tiles.map(([label, , shown, delta]) => [[`${label} `, 'bold'], [shown], ...(delta ? [[' '] as Segment, delta] : [])]);
  }
  const boxes = tiles.map(([label, t, shown, delta]) => tileLines(label, t, shown, delta, size));
  return boxes[0]!.map((_, row) => boxes.flatMap((b, i) => [...(i ? [[' '] as Segment] : []), ...b[row]!]));
}

// — sections —

function sections(data: CommandCenter, w: number, now: number, tz: number): Section[] {
  const ago = (at: number | null) => (at === null ? '—' : formatAge(now - at));
  const sev = (s: string): Segment => [s, s === 'P1' ? 'red' : s === 'P2' ? 'yellow' : 'dim'];
  const title = (text: string, total?: number): Line => [[text, 'bold'], ...(total !== undefined ? [[` (${total})`, 'dim'] as Segment] : [])];

  const worst = Math.max(0, ...data.services.items.map((s) => s.errorRate.value ?? 0));
  const nameWidth = Math.min(24, Math.max(4, ...data.services.items.map((s) => (s.service ?? '(none)').length)));
  const barRoom = Math.max(4, w - nameWidth - 12);
  const services: Section = {
    title: title('Error rate by service', data.services.total),
    empty: 'no check runs or metrics in the window',
    more: data.services.total - data.services.items.length,
    rows: data.services.items.map((s) => {
      const v = s.errorRate.value;
      const bar = v && worst > 0 ? '█'.repeat(Math.max(1, Math.round((v / worst) * barRoom))) : '';
      return [[`  ${(s.service ?? '(none)').padEnd(nameWidth).slice(0, nameWidth)} `], [bar, v && v >= 0.05 ? 'red' : v ? 'yellow' : 'green'], [`${bar ? ' ' : ''}${formatPercent(v)}`]];
    }),
  };

  const incidents: Section = {
    title: title('Active incidents', data.incidents.total),
    empty: 'none',
    more: data.incidents.total - data.incidents.items.length,
    rows: data.incidents.items.map((i) => [
      ['  '],
      sev(i.severity),
      [` #${i.id} ${i.title}`],
      [` ${i.service ?? ''} ${i.status} ${ago(i.startedAt ?? i.detectedAt)}`, 'dim'],
      ...(i.deploymentBefore ? [[` after ${i.deploymentBefore.service} ${i.deploymentBefore.version} (${i.deploymentBefore.minutesBefore} min before)`, 'cyan'] as Segment] : []),
    ]),
  };

  const approvals: Section = {
    title: title('Waiting for approval', data.approvals.total),
    empty: 'none',
    more: data.approvals.total - data.approvals.items.length,
    rows: data.approvals.items.map((a) => [
      ['  '],
      [`${a.rule}`, 'yellow'],
      [` ${a.actionType} for #${a.incidentId} · ${ago(a.requestedAt)}${a.expiresAt !== null ? ` · expires in ${formatAge(a.expiresAt - now)}` : ''}`, 'dim'],
      [` · medic approve ${a.attemptId}`],
    ]),
  };

  const alerts: Section = {
    title: title('Firing alerts', data.alerts.total),
    empty: 'none',
    more: data.alerts.total - data.alerts.items.length,
    rows: data.alerts.items.map((a) => [['  '], sev(a.severity), [` ${a.name}`], [` ${a.service ?? ''} ${ago(a.startsAt)}`, 'dim']]),
  };

  const m = data.monitors;
  const monitors: Section = {
    title: [
      ['Monitors', 'bold'],
      [` ${m.counts.up.toLocaleString('en-US')} up`, 'green'],
      [` · ${m.counts.degraded.toLocaleString('en-US')} degraded`, m.counts.degraded ? 'yellow' : 'dim'],
      [` · ${m.counts.down.toLocaleString('en-US')} down`, m.counts.down ? 'red' : 'dim'],
      [` · ${m.counts.pending + m.counts.paused} pending or paused`, 'dim'],
    ],
    empty: '',
    more: m.unhealthy.total - m.unhealthy.items.length,
    rows: m.unhealthy.items.map((x) => [
      ['  '],
      [x.status.padEnd(8), x.status === 'down' ? 'red' : 'yellow'],
      [` ${x.name}`],
      [` ${x.service ?? ''} ${ago(x.lastRunAt)}${x.error ? ` · ${x.error}` : ''}`, 'dim'],
    ]),
  };

  const deployments: Section = {
    title: title('Recent deployments'),
    empty: 'none',
    more: 0,
    rows: data.deployments.map((d) => [
      [`  ${d.service} ${d.version}${d.rollback ? ' (rollback)' : ''}`],
      [` ${formatClock(d.deployedAt, tz)} by ${d.actor}`, 'dim'],
      ...(d.justBefore.length ? [[` just before ${d.justBefore.map((id) => `#${id}`).join(', ')}`, 'cyan'] as Segment] : []),
    ]),
  };

  const flags: Section = {
    title: title('Flag changes'),
    empty: 'none',
    more: 0,
    rows: data.flagChanges.map((f) => [
      [`  ${f.key} `],
      f.enabled === false ? ['off', 'red'] : f.enabled === true ? [`on${f.rollout !== null && f.rollout < 1 ? ` ${Math.round(f.rollout * 100)}%` : ''}`, 'green'] : ['removed', 'dim'],
      [` ${formatClock(f.at, tz)} by ${f.actor}${f.reason ? ` — ${f.reason}` : ''}`, 'dim'],
    ]),
  };

  return [incidents, approvals, services, alerts, monitors, deployments, flags];
}

/**
 * Fits the sections into `room` lines: every section gets its title line first (a list with rows shows
 * its first row on it when there is no room for more), then rows go out one at a time in order of
 * importance, so a short screen still shows the top of each list and a tall one shows everything.
 */
function layout(list: Section[], room: number): Line[] {
  const shown = list.map(() => 0);
  let left = room - list.length;
  for (let progress = true; left > 0 && progress; ) {
    progress = false;
    list.forEach((s, i) => {
      const want = s.rows.length - shown[i]!;
      if (left > 0 && want > 0) {
        // The last free line of a list that does not fit goes to its "… N more".
        shown[i]! += 1;
        left -= 1;
        progress = true;
      }
    });
  }
  const out: Line[] = [];
  list.forEach((s, i) => {
    if (out.length >= room) return;
    if (s.rows.length === 0) {
      out.push([...s.title, ...(s.empty ? [[`  ${s.empty}`, 'dim'] as Segment] : [])]);
      return;
    }
    out.push(s.title);
    const n = shown[i]!;
    const hidden = s.rows.length - n + s.more;
    const rows = hidden > 0 && n > 0 ? s.rows.slice(0, n - 1) : s.rows.slice(0, n);
    out.push(...rows);
    if (hidden > 0 && n > 0) out.push([[`  … ${s.rows.length - rows.length + s.more} more`, 'dim']]);
    else if (hidden > 0) out[out.length - 1] = [...s.title, [`  … ${hidden} not shown`, 'dim']];
  });
  return out.slice(0, room);
}
