import { useState } from 'react';
import type { Flag, FlagList } from '../../../src/server/responses/flags';
import { api } from '../api';
import { Card, Empty, Failure } from '../components/bits';
import { ago, percent } from '../components/format';
import { useApi, useChange } from '../queries';
import { useSession } from '../session';

/**
 * Feature flags and their kill switches. Switching one is a two-step act: the switch opens a
 * confirmation that says what will happen and asks why (the reason is recorded with the change, and an
 * incident it is for counts it as that incident's fix). Viewers see the state, not the switch.
 */

export function FlagsPage() {
  const { can } = useSession();
  const { data, error } = useApi<FlagList>('/api/flags');
  const [pending, setPending] = useState<Flag | null>(null);
  const [notice, setNotice] = useState<string>();
  return (
    <Card title="Feature flags">
      <Failure error={error} />
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
      {data && data.flags.length === 0 && <Empty>No flags: define them under flags: in medic.yaml.</Empty>}
      {pending && (
        <Confirm
          flag={pending}
          onCancel={() => setPending(null)}
          onDone={(message) => {
            setPending(null);
            setNotice(message);
          }}
        />
      )}
      {data && data.flags.length > 0 && (
        <table className="list flags">
          <thead>
            <tr>
              <th>Flag</th>
              <th>State</th>
              <th className="num hide-narrow">Rollout</th>
              <th className="hide-narrow">Last change</th>
            </tr>
          </thead>
          <tbody>
            {data.flags.map((f) => (
              <tr key={f.key}>
                <td>
                  <strong>{f.key}</strong> {f.service && <small className="meta">{f.service}</small>}
                  {f.description && <div className="meta small">{f.description}</div>}
                  {f.error && <div className="failure small">{f.error}</div>}
                </td>
                <td>
                  {can('responder') ? (
                    <button
                      role="switch"
                      aria-checked={f.enabled}
                      aria-label={`${f.key} ${f.enabled ? 'on' : 'off'}`}
                      className={`switch ${f.enabled ? 'switch-on' : 'switch-off'}`}
                      onClick={() => {
                        setNotice(undefined);
                        setPending(f);
                      }}
                    >
                      <span className="knob" />
                      {f.enabled ? 'on' : 'off'}
                    </button>
                  ) : (
                    <span className={`status ${f.enabled ? 'status-up' : 'status-down'}`}>{f.enabled ? 'on' : 'off'}</span>
                  )}
                </td>
                <td className="num hide-narrow">{percent(f.rollout, 0)}</td>
                <td className="hide-narrow">
                  {f.lastChange ? (
                    <>
                      {ago(f.lastChange.at)} by {f.lastChange.actor}
                      {f.lastChange.reason && <div className="meta small">{f.lastChange.reason}</div>}
                    </>
                  ) : (
                    <span className="meta">{f.source}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function Confirm({ flag, onCancel, onDone }: { flag: Flag; onCancel: () => void; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [incident, setIncident] = useState('');
  const turnOn = !flag.enabled;
  const change = useChange('flags', (body: { enabled: boolean; reason: string; incident_id?: number }) => api(`/api/flags/${encodeURIComponent(flag.key)}`, { method: 'PUT', body }));
  const submit = () => {
    const id = incident.trim().replace(/^#/, '');
    change.mutate({ enabled: turnOn, reason: reason.trim(), ...(id ? { incident_id: Number(id) } : {}) }, { onSuccess: () => onDone(`${flag.key} is now ${turnOn ? 'on' : 'off'}.`) });
  };
  return (
    <form
      className="confirm"
      role="dialog"
      aria-label={`switch ${flag.key} ${turnOn ? 'on' : 'off'}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>
        Switch <code>{flag.key}</code> {turnOn ? 'on' : 'off'}?
      </h3>
      <p className="meta">
        {turnOn
          ? `Everyone${flag.rollout < 1 ? ` in its ${percent(flag.rollout, 0)} rollout` : ''} gets the flag again.`
          : 'Everyone gets its off variant within a second. The change is recorded with your reason'}
        {!turnOn && (flag.service ? ` and shows on the open incidents of ${flag.service}.` : '.')}
      </p>
      <label>
        Reason
        <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required rows={2} autoFocus placeholder="checkout 500s after the deploy" />
      </label>
      <label>
        For incident (optional: counts as its fix)
        <input name="incident" value={incident} onChange={(e) => setIncident(e.target.value)} inputMode="numeric" pattern="#?[0-9]*" placeholder="42" />
      </label>
      <Failure error={change.error?.message} />
      <div className="buttons">
        <button type="submit" className={turnOn ? '' : 'danger'} disabled={change.isPending || !reason.trim()}>
          Switch {turnOn ? 'on' : 'off'}
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
