import type { TimelineEvent } from '../../../src/server/responses/incidents';
import { clock, duration } from './format';

/**
 * The incident's timeline, readable: one line per event in words (the API's `text`, the same line the
 * CLI prints), repeated events (an alert storm) folded into one line with a count, and long output
 * (runbook steps, remediation) folded away.
 */

/** A flag change's new state, whether the event says it directly or as before/after (the suspects card). */
export function flagEnabled(p: Record<string, unknown>): boolean | undefined {
  if (typeof p.enabled === 'boolean') return p.enabled;
  const after = p.after as { enabled?: unknown } | undefined;
  return typeof after?.enabled === 'boolean' ? after.enabled : undefined;
}

/** The server's line for the event, as a sentence. */
const sentence = (e: TimelineEvent) => e.text.charAt(0).toUpperCase() + e.text.slice(1);

function output(e: TimelineEvent): string | undefined {
  const o = e.payload.output;
  return typeof o === 'string' && o.trim() ? o : undefined;
}

interface Row {
  first: TimelineEvent;
  count: number;
}

/**
 * Consecutive events of the same kind and actor about the same thing fold into one row. Verification
 * progress does not: each evaluation has figures of its own.
 */
function fold(events: TimelineEvent[]): Row[] {
  const rows: Row[] = [];
  for (const e of events) {
    const last = rows.at(-1);
    const same = last && last.first.type === e.type && last.first.actor === e.actor && ['alert_fired', 'notification_sent'].includes(e.type) && last.first.payload.alert === e.payload.alert;
    if (same) last.count++;
    else rows.push({ first: e, count: 1 });
  }
  return rows;
}

export function Timeline({ events, origin }: { events: TimelineEvent[]; origin: number | null }) {
  return (
    <ol className="timeline">
      {fold(events).map(({ first: e, count }) => {
        const out = output(e);
        const rel = origin === null ? '' : `${e.at < origin ? '−' : '+'}${duration(Math.abs(e.at - origin))}`;
        return (
          <li key={e.id} className={`ev ev-${e.type}`}>
            <time dateTime={new Date(e.at).toISOString()} title={clock(e.at)}>
              {rel}
            </time>
            <div>
              <span className="what">
                {sentence(e)}
                {count > 1 && <small className="count"> ×{count}</small>}
              </span>
              <span className="who">{e.actor}</span>
              {out && (
                <details>
                  <summary>output</summary>
                  <pre>{out}</pre>
                </details>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
