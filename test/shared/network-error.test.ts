import { Resolver } from 'node:dns';
import net from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../src/shared/network-error.js';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js';
import { closedPort, startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/** The error a real connection attempt ends with. */
function connectError(options: net.NetConnectOpts): Promise<Error> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(options);
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error('connected, but the test wanted a failure'));
    });
    socket.once('error', resolve);
  });
}

async function requestError(url: string, options: Parameters<typeof request>[1] = {}): Promise<Error> {
  try {
    await request(url, options);
  } catch (err) {
    return err as Error;
  }
  throw new Error('answered, but the test wanted a failure');
}

describe('describeError against real sockets', () => {
  let dns: DnsServer;
  let silent: RecordingServer;
  beforeAll(async () => {
    dns = await startDnsServer({ 'known.medic.test': { A: ['127.0.0.1'] } });
    silent = await startRecordingServer(() => 'hang');
  });
  afterAll(async () => {
    await dns.close();
    await silent.close();
  });

  it('a closed port: "connect ECONNREFUSED host:port", from a socket and from undici', async () => {
    const port = await closedPort();
    expect(describeError(await connectError({ host: '127.0.0.1', port }))).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(describeError(await requestError(`http://127.0.0.1:${port}/`))).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('every address of a name refused (happy eyeballs): each one, not the empty message of the AggregateError', async () => {
    const port = await closedPort();
    // Two loopback addresses for one name: Node tries both and reports an AggregateError with message "".
    const lookup = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
      opts.all
        ? cb(null, [
            { address: '127.0.0.1', family: 4 },
            { address: '127.0.0.2', family: 4 },
          ])
        : cb(null, '127.0.0.1', 4)) as unknown as net.LookupFunction;
    const err = await connectError({ host: 'two.medic.test', port, lookup, autoSelectFamily: true });
    expect(err).toBeInstanceOf(AggregateError);
    expect(err.message).toBe('');
    expect(describeError(err)).toBe(`connect ECONNREFUSED 127.0.0.1:${port}; connect ECONNREFUSED 127.0.0.2:${port}`);
  });

  it('a name the DNS server does not know: the lookup, the code and the name', async () => {
    const resolver = new Resolver();
    resolver.setServers([dns.address]);
    const lookup = ((host: string, _opts: unknown, cb: (...args: unknown[]) => void) =>
      resolver.resolve4(host, (err, addresses) => (err ? cb(err) : cb(null, addresses[0], 4)))) as unknown as net.LookupFunction;
    // The same resolver answers a name it knows, so the failure below is the DNS answer and nothing else.
    expect(await new Promise((resolve) => resolver.resolve4('known.medic.test', (_e, a) => resolve(a)))).toEqual(['127.0.0.1']);
    const err = await connectError({ host: 'nope.medic.test', port: 80, lookup, autoSelectFamily: false });
    expect(describeError(err)).toBe('queryA ENOTFOUND nope.medic.test');
    // Through undici too (its connector takes the same lookup).
    const agent = new Agent({ connect: { lookup } });
    try {
      expect(describeError(await requestError('http://nope.medic.test/', { dispatcher: agent }))).toBe('queryA ENOTFOUND nope.medic.test');
    } finally {
      await agent.close();
    }
  });

  it('a server that never answers: undici’s timeout by name', async () => {
    const err = await requestError(silent.url, { headersTimeout: 200 });
    expect(describeError(err)).toBe('Headers Timeout Error');
  });

  it('a wrapper keeps its cause after a colon, and the whole line is one line', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(describeError(new TypeError('fetch failed', { cause }))).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    // A cause the message already quotes is not said twice.
    expect(describeError(new Error('GET x: connect ECONNREFUSED 127.0.0.1:9', { cause }))).toBe('GET x: connect ECONNREFUSED 127.0.0.1:9');
    expect(describeError(new Error('first line\n    second line'))).toBe('first line second line');
    // No message: the code, else the name; not an Error at all: its text.
    expect(describeError(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(describeError(new RangeError(''))).toBe('RangeError');
    expect(describeError('plain text')).toBe('plain text');
  });
});
