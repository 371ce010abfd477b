import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';

/** Runs the medic CLI in-process and captures what it prints. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'medic', ...args], {
    out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`),
  });
  return { code, stdout, stderr };
}

const bin = path.resolve(import.meta.dirname, '../../bin/medic.js');

/**
 * Starts the built `medic` (bin/medic.js over dist/, as `npm install` leaves it: run `npm run build`
 * first) as a real process; `exited` resolves with its exit code and what it printed.
 */
export function spawnBin(args: string[], options: { cwd?: string } = {}) {
  if (!existsSync(path.resolve(import.meta.dirname, '../../dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? tmpdir(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited, stdout: () => stdout };
}

/** Runs the built `medic` to its end. */
export const runBin = (args: string[], options: { cwd?: string } = {}) => spawnBin(args, options).exited;
