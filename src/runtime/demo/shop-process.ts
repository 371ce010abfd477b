import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The demo's shop service (examples/demo/shop.mjs), run as a child process on loopback. */

export const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/demo');

export async function freeLoopbackPort(preferred: number): Promise<number> {
  for (const port of [preferred, 0]) {
    const found = await new Promise<number | undefined>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(undefined));
      srv.listen(port, '127.0.0.1', () => {
        const { port: p } = srv.address() as { port: number };
        srv.close(() => resolve(p));
      });
    });
    if (found) return found;
  }
  throw new Error('no free port on 127.0.0.1');
}

export interface ShopProcess {
  url: string;
  pid: number;
  /** Calls one of the shop's /admin actions (the scenario's way to break things). */
  admin(action: string, query?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function startShop(options: { port: number; medicUrl: string; token: string }): Promise<ShopProcess> {
  // The token goes in the environment, not on the command line: any local user can read a process's
  // arguments (ps, /proc/<pid>/cmdline), only its owner its environment.
  const child: ChildProcess = spawn(process.execPath, [path.join(DEMO_DIR, 'shop.mjs'), '--port', String(options.port), '--medic', options.medicUrl], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, MEDIC_TOKEN: options.token },
  });
  const url = `http://127.0.0.1:${options.port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > until) throw new Error('the demo shop did not start');
    await wait(100);
  }
  return {
    url,
    pid: child.pid!,
    async admin(action, query = {}) {
      const q = new URLSearchParams(query).toString();
      await fetch(`${url}/admin/${action}${q ? `?${q}` : ''}`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
