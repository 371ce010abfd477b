import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRecordingServer, type Handler, type RecordingServer } from './recording-server.js';

/**
 * There is no cluster here: a real HTTP server on 127.0.0.1 plays the Kubernetes API server for the few
 * paths a test sets up, recording every request so the test can assert exact methods, paths, content
 * types and bodies. A kubeconfig written next to it points @kubernetes/client-node at it.
 */

export const KUBE_TOKEN = 'test-kube-token-0123456789';

export interface FakeKubeApi {
  server: RecordingServer;
  /** A kubeconfig whose current context `test` points here (its context `other` points at a closed port). */
  kubeconfig: string;
  /** Routes "METHOD /path?query" → reply; anything else answers 404 with a Kubernetes Status. */
  routes: Map<string, Handler>;
  close(): Promise<void>;
}

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const routes: FakeKubeApi['routes'] = new Map();
  const server = await startRecordingServer((req) => {
    const route = routes.get(`${req.method} ${req.url}`);
    if (route) return route(req);
    return {
      status: 404,
      body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `the server could not find the requested resource (${req.method} ${req.url})`, reason: 'NotFound', code: 404 },
    };
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'medic-kube-'));
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: fake',
      '    cluster:',
      `      server: ${server.url}`,
      '      insecure-skip-tls-verify: true',
      '  - name: elsewhere',
      '    cluster:',
      '      server: http://127.0.0.1:1',
      '      insecure-skip-tls-verify: true',
      'users:',
      '  - name: medic',
      '    user:',
      `      token: ${KUBE_TOKEN}`,
      'contexts:',
      '  - name: other',
      '    context: { cluster: elsewhere, user: medic }',
      '  - name: test',
      '    context: { cluster: fake, user: medic }',
      'current-context: test',
      '',
    ].join('\n'),
  );
  return {
    server,
    kubeconfig,
    routes,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
