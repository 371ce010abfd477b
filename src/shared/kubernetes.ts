import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { formatDuration } from '../config/index.js';

/**
 * The one Kubernetes access of Medic, shared by the kubernetes_* remediation actions and the
 * `kubernetes:` runbook steps. @kubernetes/client-node loads the config the
 * way kubectl does (`kubernetes.kubeconfig`, else $KUBECONFIG, ~/.kube/config, in-cluster) and applies
 * its credentials and TLS settings (tokens, client certificates, exec plugins); requests are then plain
 * JSON over that agent.
 *
 * Why not the generated typed API: it deserializes answers into model classes that drop every field the
 * model does not know. A rollout undo copies a ReplicaSet's pod template back into the Deployment, and
 * must copy it whole, whatever the cluster's version; raw JSON keeps it exact (and the content type of
 * each patch is then explicit too).
 */

export interface KubeSettings {
  /** Path of a kubeconfig; relative to `baseDir`, `~/` expanded. */
  kubeconfig?: string;
  context?: string;
}

export const PATCH = {
  strategicMerge: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
} as const;

/** A non-2xx answer of the API server, with the reason of its `Status` body. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface KubeClient {
  /** The API server's URL. */
  readonly server: string;
  request<T = unknown>(method: 'GET' | 'PATCH', apiPath: string, body?: { contentType: string; data: unknown }): Promise<T>;
  /** A GET whose answer is text, not JSON (a pod's log). */
  getText(apiPath: string): Promise<string>;
}

/** Answers larger than this are refused (a ReplicaSet list of a busy namespace stays far below it). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export function loadKubeConfig(settings: KubeSettings, baseDir: string): KubeConfig {
  const kc = new KubeConfig();
  if (settings.kubeconfig) {
    const file = settings.kubeconfig.startsWith('~/') ? path.join(os.homedir(), settings.kubeconfig.slice(2)) : path.resolve(baseDir, settings.kubeconfig);
    kc.loadFromFile(file);
  } else {
    kc.loadFromDefault();
    // With nothing found, the library falls back to an unauthenticated http://localhost:8080; say so instead.
    const cluster = kc.getCurrentCluster();
    if (kc.getCurrentContext() === 'loaded-context' && cluster?.name === 'cluster' && cluster.server === 'http://localhost:8080') {
      throw new Error('no Kubernetes configuration found: set kubernetes.kubeconfig in medic.yaml, $KUBECONFIG, ~/.kube/config, or run Medic in the cluster');
    }
  }
  if (settings.context) {
    if (!kc.getContextObject(settings.context)) {
      throw new Error(`the kubeconfig has no context ${JSON.stringify(settings.context)} (it has ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(settings.context);
  }
  if (!kc.getCurrentCluster()) throw new Error(`the kubeconfig's current context ${JSON.stringify(kc.getCurrentContext())} names no cluster`);
  return kc;
}

/**
 * A client for one action: credentials are applied once, every request ends by `timeoutMs` or when
 * `signal` aborts.
 */
export async function connectKube(settings: KubeSettings, opts: { baseDir: string; signal: AbortSignal; timeoutMs: number }): Promise<KubeClient> {
  const kc = loadKubeConfig(settings, opts.baseDir);
  const server = kc.getCurrentCluster()!.server.replace(/\/+$/, '');
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([opts.signal, deadline]);

  const send = (method: 'GET' | 'PATCH', apiPath: string, accept: string, body?: { contentType: string; data: unknown }): Promise<{ status: number; text: string; json: unknown }> => {
    const url = new URL(server + apiPath);
    const payload = body === undefined ? undefined : JSON.stringify(body.data);
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders | undefined),
      accept,
      'user-agent': 'medic',
      ...(body ? { 'content-type': body.contentType, 'content-length': Buffer.byteLength(payload!) } : {}),
    };
    const client = url.protocol === 'https:' ? https : http;
    const where = `${method} ${apiPath}`;
    return new Promise((resolve, reject) => {
      const req = client.request(url, { method, headers, agent: options.agent, ...(options.auth ? { auth: options.auth } : {}), signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          if (status >= 200 && status < 300) return resolve({ status, text, json });
          const st = (json ?? {}) as { message?: string; reason?: string };
          const reason = st.reason ?? res.statusMessage;
          const message = st.message ?? text.slice(0, 200);
          reject(new KubeApiError(status, st.reason, `Kubernetes API ${where} answered ${status}${reason ? ` ${reason}` : ''}: ${message}`));
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (deadline.aborted) reject(new Error(`Kubernetes API ${where}: timed out after ${formatDuration(opts.timeoutMs)}`));
        else if (opts.signal.aborted) reject(new Error(`Kubernetes API ${where}: cancelled`));
        else reject(new Error(`Kubernetes API at ${server}: ${err.message}`));
      });
      req.end(payload);
    });
  };

  return {
    server,
    async request<T>(method: 'GET' | 'PATCH', apiPath: string, body?: { contentType: string; data: unknown }): Promise<T> {
      const answer = await send(method, apiPath, 'application/json', body);
      if (answer.json === undefined) throw new Error(`${method} ${apiPath}: the API server answered ${answer.status} without JSON`);
      return answer.json as T;
    },
    async getText(apiPath: string): Promise<string> {
      return (await send('GET', apiPath, 'text/plain, */*')).text;
    },
  };
}

/** `/apis/apps/v1/namespaces/<ns>/deployments/<name>[/<sub>]`. */
export function deploymentPath(namespace: string, name: string, subresource?: 'scale'): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

/** The resource as kubectl names it in its messages. */
export function deploymentRef(namespace: string, name: string): string {
  return `deployment.apps/${name} in namespace ${namespace}`;
}
