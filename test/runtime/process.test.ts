import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kill, spawnMedic } from '../helpers/process.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('medic start as a process', () => {
  it('serves, and shuts down gracefully on SIGTERM well within 10 s', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-proc-'));
    const port = await freePort();
    writeFileSync(path.join(dir, 'medic.yaml'), `server: { port: ${port}, host: 127.0.0.1 }\nstorage: { url: "sqlite://${dir}/medic.db" }\n`);
    const medic = spawnMedic(['start', '-c', path.join(dir, 'medic.yaml')]);
    try {
      await medic.waitFor('medic is listening');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const started = Date.now();
      medic.child.kill('SIGTERM');
      const { code } = await medic.exited;
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(medic.output()).toContain('shutting down');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      kill(medic.child);
    }
  });

  it('exits 2 with located errors for a bad config', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-proc-'));
    writeFileSync(path.join(dir, 'medic.yaml'), 'server: { port: "eighty" }\n');
    const medic = spawnMedic(['start', '-c', path.join(dir, 'medic.yaml')]);
    const { code } = await medic.exited;
    expect(code).toBe(2);
    expect(medic.output()).toContain('medic.yaml:1:17 server.port: expected number, got "eighty"');
  });
});
