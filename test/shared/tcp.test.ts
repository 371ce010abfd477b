import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTcp } from '../../src/shared/tcp.js';
import { closedPort } from '../helpers/recording-server.js';

/** The one TCP probe against a real listener on 127.0.0.1 and a port nothing listens on. */

let server: net.Server;
let port: number;
/** What each connection the listener accepted sent, once it closed. */
const sessions: Promise<string>[] = [];

beforeAll(async () => {
  server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    sessions.push(new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks).toString()))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const never = () => new AbortController().signal;

describe('probeTcp', () => {
  it('connects to a listener, says the address, sends nothing and closes the connection', async () => {
    const before = sessions.length;
    expect(await probeTcp('127.0.0.1', port, never())).toEqual({ ok: true, address: `127.0.0.1:${port}` });
    // The listener saw one connection, which closed without a byte.
    await expect.poll(() => sessions.length).toBe(before + 1);
    expect(await sessions.at(-1)).toBe('');
  });

  it('resolves a name first (localhost)', async () => {
    expect(await probeTcp('localhost', port, never())).toMatchObject({ ok: true });
  });

  it('hands the socket to `watch` before it connects, so phases can be timed', async () => {
    const events: string[] = [];
    await probeTcp('localhost', port, never(), (socket) => {
      events.push(socket.connecting ? 'connecting' : 'not connecting');
      socket.once('lookup', () => events.push('lookup'));
      socket.once('connect', () => events.push('connect'));
    });
    expect(events).toEqual(['connecting', 'lookup', 'connect']);
  });

  it('reports a closed port with the socket’s own error, not as an abort', async () => {
    const closed = await closedPort();
    const probe = await probeTcp('127.0.0.1', closed, never());
    expect(probe).toMatchObject({ ok: false, aborted: false });
    expect(!probe.ok && probe.error).toMatchObject({ code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${closed}` });
  });

  it('does not connect at all when the signal has already aborted, and passes its reason on', async () => {
    const before = sessions.length;
    const reason = new Error('deadline passed');
    const probe = await probeTcp('127.0.0.1', port, AbortSignal.abort(reason));
    expect(probe).toEqual({ ok: false, error: reason, aborted: true });
    // A connection that was opened would have been seen by now: the one below is seen, and it is the only one.
    await probeTcp('127.0.0.1', port, never());
    await expect.poll(() => sessions.length).toBe(before + 1);
  });
});
