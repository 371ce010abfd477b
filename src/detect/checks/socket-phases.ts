import type { Socket } from 'node:net';
import { ms, type Timings } from './check.js';

/**
 * Phase stamps of a socket opened by a check itself (tcp, tls). HTTP checks get the same stamps through
 * each hop's connector (./http-connection.ts); this is the plain-socket version of it.
 */
export class SocketPhases {
  private readonly start = performance.now();
  private lookupEnd: number | undefined;
  private connectEnd: number | undefined;
  private secureEnd: number | undefined;

  constructor(socket: Socket) {
    socket.once('lookup', () => (this.lookupEnd = performance.now()));
    socket.once('connect', () => (this.connectEnd = performance.now()));
    socket.once('secureConnect', () => (this.secureEnd = performance.now()));
  }

  get connected(): boolean {
    return this.connectEnd !== undefined;
  }

  timings(): Timings {
    const timings: Timings = { total_ms: ms(performance.now() - this.start) };
    if (this.lookupEnd !== undefined) timings.dns_ms = ms(this.lookupEnd - this.start);
    if (this.connectEnd !== undefined) timings.connect_ms = ms(this.connectEnd - (this.lookupEnd ?? this.start));
    if (this.secureEnd !== undefined && this.connectEnd !== undefined) timings.tls_ms = ms(this.secureEnd - this.connectEnd);
    return timings;
  }
}
