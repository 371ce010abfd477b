import { commandCenter, commandCenterSchema, PrometheusSampler, type CommandCenter } from '../diagnose/index.js';
import type { Core } from '../runtime/core.js';
import { OutboundError, sendRequest } from '../shared/http.js';

/**
 * Where `medic dashboard` gets the command center from: a Medic server's API (`--server`, with a token),
 * or the database of the local medic.yaml, computed in this process the way the server would.
 */
export interface DashboardSource {
  /** Shown in the header. */
  readonly description: string;
  /** One answer; `complete` waits for a fresh Prometheus sample instead of using the latest. */
  fetch(windowMs: number, complete?: boolean): Promise<CommandCenter>;
  close(): Promise<void>;
}

/** Failures a source reports as a line on the screen (the server is down, the token is wrong). */
export class SourceError extends Error {}

export function serverSource(server: string, token: string | undefined, timeoutMs = 10_000): DashboardSource {
  const base = server.replace(/\/+$/, '');
  return {
    description: base,
    async fetch(windowMs) {
      const url = `${base}/api/command-center?window=${Math.round(windowMs / 1000)}s`;
      let res;
      try {
        res = await sendRequest({ url, method: 'GET', headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, timeoutMs, keepBytes: 8 * 1024 * 1024 });
      } catch (err) {
        throw new SourceError(`GET ${url}: ${err instanceof OutboundError ? err.message : String(err)}`);
      }
      const text = res.body.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new SourceError(`GET ${url}: HTTP ${res.statusCode}, not JSON (is --server a Medic?)`);
      }
      if (res.statusCode !== 200) {
        const message = (body as { message?: unknown })?.message;
        throw new SourceError(`GET ${url}: HTTP ${res.statusCode}${typeof message === 'string' ? `: ${message}` : ''}${res.statusCode === 401 ? ' (give --token or MEDIC_TOKEN)' : ''}`);
      }
      const parsed = commandCenterSchema.safeParse(body);
      if (!parsed.success) throw new SourceError(`GET ${url}: an answer this version of medic does not understand (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return parsed.data;
    },
    close: async () => {},
  };
}

/** The command center computed over the core's database, as the server would; closing it leaves the core open. */
export function localSource({ rt }: Core): DashboardSource {
  const { config, redactor } = rt.loaded;
  const sampler = new PrometheusSampler({ config, clock: rt.clock });
  return {
    description: rt.store.dialect.description,
    async fetch(windowMs, complete = false) {
      const prometheus = complete && sampler.services > 0 ? await sampler.refresh(windowMs) : sampler.latest(windowMs);
      return commandCenter({ store: rt.store, config, now: rt.clock.now(), windowMs, prometheus, prometheusServices: sampler.services, redact: (t) => redactor.redact(t) });
    },
    close: async () => sampler.stop(),
  };
}
