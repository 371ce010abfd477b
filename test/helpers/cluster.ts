import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gone } from './processes.js';
import { spawnMedic } from './process.js';
import { closedPort } from './recording-server.js';

/**
 * Several real `medic` processes on one database (the api role, workers, or the all-in-one), each a
 * child process started from source, for tests of what survives kill -9, restarts and races.
 */

export const TEST_TOKEN = 'medic-test-admin-token-0123456789';

export interface MedicProcess {
  name: string;
  pid: number;
  output(): string;
  /** Parsed JSON log lines so far (non-JSON lines skipped). */
  logs(): Array<Record<string, unknown>>;
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether it is still running (it has not exited, by itself or by a signal). */
  alive(): boolean;
  /** SIGTERM, and the exit it leads to. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9, and wait until the process is gone. */
  kill9(): Promise<void>;
}

/**
 * A folder with medic.yaml holding `yaml` (plus the admin token `TEST_TOKEN`); a function gets the
 * folder, for configs that keep files in it.
 */
export function writeConfig(yaml: string | ((dir: string) => string), prefix = 'medic-cluster-'): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const file = path.join(dir, 'medic.yaml');
  writeFileSync(file, `${typeof yaml === 'function' ? yaml(dir) : yaml}\nauth:\n  tokens:\n    - { name: test, role: admin, token: "${TEST_TOKEN}" }\n`);
  return { dir, file };
}

export const READY = {
  all: 'medic is listening',
  api: 'medic is listening',
  worker: 'medic worker is running',
} as const;

/** Starts `medic <args>` and waits until it says it is ready. */
export async function launch(name: string, args: string[], ready: string | RegExp, options: { cwd?: string; env?: NodeJS.ProcessEnv; readyMs?: number } = {}): Promise<MedicProcess> {
  const m = spawnMedic(args, { ...(options.cwd ? { cwd: options.cwd } : {}), env: { MEDIC_LOG_LEVEL: 'info', ...options.env } });
  const pid = m.child.pid!;
  const proc: MedicProcess = {
    name,
    pid,
    output: m.output,
    logs: () =>
      m
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    waitFor: m.waitFor,
    exited: m.exited,
    alive: () => m.child.exitCode === null && m.child.signalCode === null,
    async stop() {
      if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGTERM');
      return m.exited;
    },
    async kill9() {
      if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGKILL');
      await m.exited;
      await gone(pid);
    },
  };
  try {
    // A process starting takes a few seconds alone; on a 2-core machine running the rest of the suite in
    // parallel it has taken over 30.
    await m.waitFor(ready, options.readyMs ?? 60_000);
  } catch (err) {
    await proc.kill9();
    throw err;
  }
  return proc;
}

export type LaunchSpec = Parameters<typeof launch>;

/**
 * Starts several processes at once. Each one that starts is added to `into` (the test's cleanup list)
 * even when another fails to start, so a failed start leaves no process behind.
 */
export async function launchAll(into: MedicProcess[], specs: LaunchSpec[]): Promise<MedicProcess[]> {
  const settled = await Promise.allSettled(specs.map((spec) => launch(...spec)));
  for (const s of settled) if (s.status === 'fulfilled') into.push(s.value);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<MedicProcess>).value);
}

export async function freePort(): Promise<number> {
  return closedPort();
}

/** JSON over HTTP with the test token. */
export function apiClient(baseUrl: string, token = TEST_TOKEN) {
  const call = async <T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T; text: string }> => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (markdown, metrics)
    }
    return { status: res.status, body: parsed as T, text };
  };
  return {
    get: <T = unknown>(url: string) => call<T>('GET', url),
    post: <T = unknown>(url: string, body?: unknown) => call<T>('POST', url, body),
  };
}

/** Polls `cond` until it holds (or throws after `ms`, with `what` and the last value in the message). */
export async function eventually<T>(what: string, probe: () => Promise<T>, cond: (v: T) => boolean, ms = 20_000, everyMs = 100): Promise<T> {
  const until = Date.now() + ms;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (cond(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last) ?? String(lastError)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
