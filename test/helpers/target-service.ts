import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * A real process on 127.0.0.1 playing the service being fixed: its /health fails until a request to its
 * own /restart cures it (or never, with `cure: 'never'`). See fixtures/target-service.mjs.
 */
export interface TargetService {
  url: string;
  stats(): Promise<{ faulty: boolean; restarts: number; healthChecks: number }>;
  stop(): Promise<void>;
}

export async function startTargetService(options: { cure?: 'restart' | 'never'; startFaulty?: boolean } = {}): Promise<TargetService> {
  const child: ChildProcess = spawn(process.execPath, [path.join(import.meta.dirname, 'fixtures/target-service.mjs')], {
    env: { PATH: process.env.PATH ?? '', CURE: options.cure ?? 'restart', START_FAULTY: options.startFaulty === false ? '0' : '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`target service exited (${code}) before listening`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async stats() {
      return (await (await fetch(`${url}/stats`)).json()) as { faulty: boolean; restarts: number; healthChecks: number };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
