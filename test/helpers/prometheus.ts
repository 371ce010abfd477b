import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPort } from './recording-server.js';

/**
 * A real Prometheus (the Debian package `prometheus`) on 127.0.0.1 with its own storage directory,
 * scraping a tiny exporter served by the test. Tests that need it fail with a clear message when the
 * binary is missing: CI must install it (`apt-get install -y prometheus`).
 */

export interface TestPrometheus {
  url: string;
  /** Replaces what the exporter serves (Prometheus text exposition format). */
  setMetrics(text: string): void;
  stop(): Promise<void>;
}

const BINARY = process.env.MEDIC_TEST_PROMETHEUS ?? 'prometheus';

export async function startPrometheus(metrics: string): Promise<TestPrometheus> {
  const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`these tests need a Prometheus binary: apt-get install -y prometheus (tried ${BINARY}: ${probe.error?.message ?? probe.stderr})`);
  }

  let body = metrics;
  const exporter: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body);
  });
  await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
  const exporterPort = (exporter.address() as AddressInfo).port;

  const dir = mkdtempSync(path.join(tmpdir(), 'medic-prom-'));
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: exporter',
      '    static_configs:',
      `      - targets: ["127.0.0.1:${exporterPort}"]`,
      '',
    ].join('\n'),
  );
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((resolve) => exporter.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Ready once a scrape of the exporter is queryable.
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up{job="exporter"} == 1')}`).catch(() => undefined);
      if (!res?.ok) return false;
      const json = (await res.json()) as { data?: { result?: unknown[] } };
      return (json.data?.result?.length ?? 0) > 0;
    }, 45_000);
  } catch (err) {
    await stop();
    throw new Error(`Prometheus did not become ready: ${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return { url, setMetrics: (text) => (body = text), stop };
}

async function waitFor(check: () => Promise<boolean>, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready within ${limitMs}ms`);
}
