import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from '../../src/diagnose/steps/index.js';
import { parseHostPort } from '../../src/diagnose/steps/tcp.js';
import { closedPort } from '../helpers/recording-server.js';
import { context, step } from './helpers.js';

describe('tcp step', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes when the port accepts a connection', async () => {
    const out = await runStep(step({ tcp: `127.0.0.1:${port}` }), context());
    expect(out.ok).toBe(true);
    expect(out.output).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port} \\(127\\.0\\.0\\.1:${port}\\) in \\d+ms$`));
  });

  it('resolves names (localhost)', async () => {
    const out = await runStep(step({ tcp: `localhost:${port}` }), context());
    expect(out.ok).toBe(true);
  });

  it('fails when the port is closed', async () => {
    const closed = await closedPort();
    const out = await runStep(step({ tcp: `127.0.0.1:${closed}` }), context());
    expect(out).toMatchObject({ ok: false, error: `cannot connect to 127.0.0.1:${closed}: connection refused` });
    expect(out.output).toBe(out.error);
  });

  it('splits host and port, IPv6 included', () => {
    expect(parseHostPort('postgres-primary:5432')).toEqual({ host: 'postgres-primary', port: 5432 });
    expect(parseHostPort('[::1]:6379')).toEqual({ host: '::1', port: 6379 });
    expect(() => parseHostPort('db:0')).toThrow(/out of range/);
  });
});
