import net from 'node:net';
import type { TcpMonitorConfig } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { failed, timingMeasurements, type CheckType } from './check.js';
import { startDeadline } from './deadline.js';
import { SocketPhases } from './socket-phases.js';

/** `type: tcp` — the port accepts a connection. Nothing is sent; the connection is closed at once. */
export const tcpCheck: CheckType<TcpMonitorConfig> = {
  type: 'tcp',
  async run(monitor, ctx) {
    const deadline = startDeadline(ctx.signal, monitor.timeout);
    const socket = net.connect({ host: monitor.host, port: monitor.port });
    const phases = new SocketPhases(socket);
    try {
      const error = await new Promise<Error | undefined>((resolve) => {
        const onAbort = () => resolve(deadline.reason);
        deadline.signal.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => resolve(undefined));
        socket.on('error', (err) => resolve(err));
      });
      const timings = phases.timings();
      if (error) return failed(describeError(error), timings.total_ms, { networkError: true, timings, measurements: timingMeasurements(timings) });
      return { status: 'up', networkError: false, timings, assertions: [], measurements: timingMeasurements(timings), info: { address: `${socket.remoteAddress}:${socket.remotePort}` }, attempts: 1 };
    } finally {
      deadline.dispose();
      socket.destroy();
    }
  },
};
