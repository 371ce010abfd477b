import net from 'node:net';
import tls from 'node:tls';
import type { TlsMonitorConfig } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { describeFailure, failed, timingMeasurements, type AssertionResult, type CheckOutcome, type CheckType } from './check.js';
import { startDeadline } from './deadline.js';
import { SocketPhases } from './socket-phases.js';

/**
 * `type: tls` — the certificate a server presents: trusted (unless `verify_tls: false`) and not expiring
 * within `min_days`. The handshake itself never rejects, so an untrusted certificate is still read and
 * reported (subject, issuer, days left) instead of ending as a bare handshake error; trust is judged from
 * Node's own verdict on the chain and the host name (`socket.authorized`).
 */

const DAY_MS = 86_400_000;

type PeerCertificate = tls.PeerCertificate;

function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function certificateInfo(cert: PeerCertificate, validTo: number): Record<string, string> {
  const info: Record<string, string> = {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    valid_from: new Date(Date.parse(cert.valid_from)).toISOString(),
    valid_to: new Date(validTo).toISOString(),
  };
  if (cert.subjectaltname) info.subject_alt_names = cert.subjectaltname;
  if (cert.fingerprint256) info.fingerprint256 = cert.fingerprint256;
  return info;
}

/** Shared, as in the HTTP Agent: building a SecureContext per connection costs more than the handshake's own JS. */
let secureContext: tls.SecureContext | undefined;

export const tlsCheck: CheckType<TlsMonitorConfig> = {
  type: 'tls',
  async run(monitor, ctx) {
    const deadline = startDeadline(ctx.signal, monitor.timeout);
    // SNI must be a host name; Node rejects an IP address there.
    const servername = monitor.servername ?? (net.isIP(monitor.host) ? undefined : monitor.host);
    secureContext ??= tls.createSecureContext();
    const socket = tls.connect({ host: monitor.host, port: monitor.port, servername, secureContext, rejectUnauthorized: false });
    const phases = new SocketPhases(socket);
    try {
      const error = await new Promise<Error | undefined>((resolve) => {
        deadline.signal.addEventListener('abort', () => resolve(deadline.reason), { once: true });
        socket.once('secureConnect', () => resolve(undefined));
        socket.on('error', (err) => resolve(err));
      });
      const timings = phases.timings();
      const measurements = timingMeasurements(timings);
      if (error) return failed(describeError(error), timings.total_ms, { networkError: true, timings, measurements });

      const cert = socket.getPeerCertificate(false);
      const validTo = Date.parse(cert.valid_to);
      if (!cert.valid_to || Number.isNaN(validTo)) return failed('the server presented no certificate', timings.total_ms, { timings, measurements });
      const now = ctx.now();
      const daysRemaining = Math.round(((validTo - now) / DAY_MS) * 100) / 100;
      measurements.days_remaining = daysRemaining;

      const assertions: AssertionResult[] = [];
      if (monitor.verify_tls) {
        const name = servername ?? monitor.host;
        assertions.push({
          name: 'certificate trusted',
          pass: socket.authorized,
          expected: `a chain to a trusted CA, valid for ${name}`,
          actual: socket.authorized ? 'trusted' : String(socket.authorizationError ?? 'not trusted'),
        });
      }
      const validFrom = Date.parse(cert.valid_from);
      if (!Number.isNaN(validFrom) && validFrom > now) {
        assertions.push({ name: 'certificate valid_from', pass: false, expected: 'already valid', actual: `not valid until ${new Date(validFrom).toISOString()}` });
      }
      assertions.push({
        name: 'certificate expiry',
        pass: daysRemaining >= monitor.min_days,
        expected: `≥ ${monitor.min_days} days remaining`,
        actual: daysRemaining < 0 ? `expired ${-daysRemaining} days ago` : `${daysRemaining} days remaining (valid to ${new Date(validTo).toISOString()})`,
      });

      const failure = assertions.find((a) => !a.pass);
      const outcome: CheckOutcome = { status: failure ? 'down' : 'up', networkError: false, timings, assertions, measurements, info: certificateInfo(cert, validTo), attempts: 1 };
      if (failure) outcome.error = describeFailure(failure);
      return outcome;
    } finally {
      deadline.dispose();
      socket.destroy();
    }
  },
};
