import type { TcpMonitorConfig } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { probeTcp } from '../../shared/tcp.js';
import { failed, timingMeasurements, type CheckType } from './check.js';
import { startDeadline } from './deadline.js';
import { SocketPhases } from './socket-phases.js';

/** `type: tcp` — the port accepts a connection (the one probe of shared/tcp.ts), timed by phase. */
export const tcpCheck: CheckType<TcpMonitorConfig> = {
  type: 'tcp',
  async run(monitor, ctx) {
    const deadline = startDeadline(ctx.signal, monitor.timeout);
    let phases: SocketPhases | undefined;
    try {
      const probe = await probeTcp(monitor.host, monitor.port, deadline.signal, (socket) => (phases = new SocketPhases(socket)));
      const timings = phases?.timings() ?? { total_ms: 0 };
      if (!probe.ok) return failed(describeError(probe.error), timings.total_ms, { networkError: true, timings, measurements: timingMeasurements(timings) });
      return { status: 'up', networkError: false, timings, assertions: [], measurements: timingMeasurements(timings), info: { address: probe.address }, attempts: 1 };
    } finally {
      deadline.dispose();
    }
  },
};
