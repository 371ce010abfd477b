import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '../..');
// Resolved here, so the child finds tsx from any working folder (a new user's, outside the repository).
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Starts `medic <args>` from source as a real child process, collecting its output. */
export function spawnMedic(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'test/helpers/medic-bin.ts'), ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, MEDIC_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => output,
    /** Resolves when the output contains the text. */
    async waitFor(text: string | RegExp, ms = 20_000): Promise<void> {
      const until = Date.now() + ms;
      while (!(typeof text === 'string' ? output.includes(text) : text.test(output))) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${text}; output:\n${output}`);
        if (child.exitCode !== null) throw new Error(`medic exited (${child.exitCode}) before ${text}; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

export function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.exitCode === null) child.kill(signal);
}
