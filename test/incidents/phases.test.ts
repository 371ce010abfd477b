import { describe, expect, it } from 'vitest';
import { deriveState, derivePhases, withPhases, type EventLike, type EventType } from '../../src/incidents/index.js';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 1, 14, 0);
// The fold is pure: these events carry only what it reads, not everything their schemas require.
const ev = (type: EventType, minute: number, payload: object = {}) => ({ type, at: T + minute * MIN, payload }) as EventLike;

describe('phase durations (DESIGN.md)', () => {
  it('all four timestamps: each phase is the gap, MTTR their sum', () => {
    const p = derivePhases({ started_at: T, detected_at: T + 2 * MIN, diagnosed_at: T + 10 * MIN, resolved_at: T + 15 * MIN, verified_at: T + 20 * MIN });
    expect(p).toEqual({ detect_ms: 2 * MIN, diagnose_ms: 8 * MIN, resolve_ms: 5 * MIN, verify_ms: 5 * MIN, mttr_ms: 20 * MIN });
  });

  it('no diagnosed_at: diagnose = 0, resolve = resolved − detected', () => {
    const p = derivePhases({ started_at: T, detected_at: T + 2 * MIN, diagnosed_at: null, resolved_at: T + 15 * MIN, verified_at: T + 20 * MIN });
    expect(p).toEqual({ detect_ms: 2 * MIN, diagnose_ms: 0, resolve_ms: 13 * MIN, verify_ms: 5 * MIN, mttr_ms: 20 * MIN });
  });

  it('no verified_at: counts as resolved_at, verify = 0', () => {
    const p = derivePhases({ started_at: T, detected_at: T + 2 * MIN, diagnosed_at: T + 4 * MIN, resolved_at: T + 15 * MIN, verified_at: null });
    expect(p).toEqual({ detect_ms: 2 * MIN, diagnose_ms: 2 * MIN, resolve_ms: 11 * MIN, verify_ms: 0, mttr_ms: 15 * MIN });
  });

  it('no resolved_at but verified: resolve collapses into verify', () => {
    const p = derivePhases({ started_at: T, detected_at: T + 2 * MIN, diagnosed_at: T + 4 * MIN, resolved_at: null, verified_at: T + 9 * MIN });
    expect(p).toEqual({ detect_ms: 2 * MIN, diagnose_ms: 2 * MIN, resolve_ms: 0, verify_ms: 5 * MIN, mttr_ms: 9 * MIN });
  });

  it('no started_at: detect = 0 (started counts as detected)', () => {
    const p = derivePhases({ started_at: null, detected_at: T, diagnosed_at: null, resolved_at: T + 5 * MIN, verified_at: T + 6 * MIN });
    expect(p).toEqual({ detect_ms: 0, diagnose_ms: 0, resolve_ms: 5 * MIN, verify_ms: MIN, mttr_ms: 6 * MIN });
  });

  it('an open incident: finished phases known, the rest and MTTR null', () => {
    expect(derivePhases({ started_at: T, detected_at: T + MIN, diagnosed_at: null, resolved_at: null, verified_at: null })).toEqual({
      detect_ms: MIN, diagnose_ms: null, resolve_ms: null, verify_ms: null, mttr_ms: null,
    });
    expect(derivePhases({ started_at: T, detected_at: T + MIN, diagnosed_at: T + 3 * MIN, resolved_at: null, verified_at: null })).toMatchObject({
      diagnose_ms: 2 * MIN, resolve_ms: null, mttr_ms: null,
    });
  });

  it('clamps a negative gap (clocks disagreeing) to 0 and keeps the sum', () => {
    const p = derivePhases({ started_at: T + 5 * MIN, detected_at: T, diagnosed_at: null, resolved_at: T + 10 * MIN, verified_at: T + 12 * MIN });
    expect(p.detect_ms).toBe(0);
    expect(p.mttr_ms).toBe(p.detect_ms! + p.diagnose_ms! + p.resolve_ms! + p.verify_ms!);
  });
});

describe('timestamps derived from the timeline', () => {
  it('sets each timestamp from the first event that sets it', () => {
    const s = withPhases(
      deriveState([
        ev('opened', 2, { started_at: T }),
        ev('alert_fired', 2),
        ev('acknowledged', 3),
        ev('acknowledged', 4),
        ev('cause_identified', 6, { cause: 'bad deploy' }),
        ev('cause_identified', 7, { cause: 'really: bad config' }),
        ev('remediation_started', 8),
        ev('remediation_finished', 9, { ok: true, fix: true }),
        ev('verification_progress', 10),
        ev('verified', 12),
      ]),
    );
    expect(s).toMatchObject({
      status: 'closed',
      started_at: T,
      detected_at: T + 2 * MIN,
      acknowledged_at: T + 3 * MIN,
      diagnosed_at: T + 6 * MIN,
      resolved_at: T + 9 * MIN,
      verified_at: T + 12 * MIN,
      closed_at: T + 12 * MIN,
      cause: 'really: bad config',
      detect_ms: 2 * MIN,
      diagnose_ms: 4 * MIN,
      resolve_ms: 3 * MIN,
      verify_ms: 3 * MIN,
      mttr_ms: 12 * MIN,
    });
  });

  it('walks the status through the lifecycle', () => {
    const steps: [EventType, string][] = [
      ['opened', 'open'],
      ['acknowledged', 'acknowledged'],
      ['remediation_started', 'mitigating'],
      ['resolved', 'resolved'],
      ['verification_progress', 'verifying'],
      ['verified', 'closed'],
      ['reopened', 'reopened'],
    ];
    const events: ReturnType<typeof ev>[] = [];
    steps.forEach(([type, status], i) => {
      events.push(ev(type, i));
      expect(deriveState(events).status, type).toBe(status);
    });
  });

  it('a failed remediation does not resolve; a successful dry run does not either', () => {
    const s = deriveState([ev('opened', 0), ev('remediation_finished', 1, { ok: false }), ev('remediation_finished', 2, { ok: true, dry_run: true })]);
    expect(s.resolved_at).toBeNull();
  });

  it('a flag switched or a rollback as the fix sets resolved_at', () => {
    expect(deriveState([ev('opened', 0), ev('flag_changed', 3, { fix: true })]).resolved_at).toBe(T + 3 * MIN);
    expect(deriveState([ev('opened', 0), ev('rolled_back', 4, { fix: true })]).resolved_at).toBe(T + 4 * MIN);
    expect(deriveState([ev('opened', 0), ev('flag_changed', 3, { fix: false })]).resolved_at).toBeNull();
  });

  it('verification failed: the fix did not hold, resolved_at moves to the fix that worked', () => {
    const s = withPhases(
      deriveState([
        ev('opened', 0),
        ev('cause_identified', 1),
        ev('remediation_finished', 2, { ok: true, fix: true }),
        ev('verification_failed', 7),
        ev('remediation_finished', 8, { ok: true, fix: true }),
        ev('verified', 10),
      ]),
    );
    expect(s).toMatchObject({ status: 'closed', resolved_at: T + 8 * MIN, resolve_ms: 7 * MIN, verify_ms: 2 * MIN, mttr_ms: 10 * MIN });
  });

  it('reopen: recovery is the later one, MTTR spans both, the count is kept', () => {
    const s = withPhases(
      deriveState([
        ev('opened', 0, { started_at: T - MIN }),
        ev('resolved', 5),
        ev('verified', 6),
        ev('reopened', 20),
        ev('resolved', 30),
        ev('verified', 32),
      ]),
    );
    expect(s).toMatchObject({ status: 'closed', reopen_count: 1, started_at: T - MIN, resolved_at: T + 30 * MIN, verified_at: T + 32 * MIN, mttr_ms: 33 * MIN });
  });

  it('a cause recorded after the fix is kept but is not the diagnose phase', () => {
    const s = deriveState([ev('opened', 0), ev('resolved', 5), ev('verified', 6), ev('cause_identified', 60, { cause: 'found in the postmortem' })]);
    expect(s.cause).toBe('found in the postmortem');
    expect(s.diagnosed_at).toBeNull();
  });

  it('takes the earliest evidence as started_at', () => {
    expect(deriveState([ev('opened', 5, { started_at: T + 2 * MIN }), ev('opened', 6, { started_at: T })]).started_at).toBe(T);
  });
});
