import { existsSync, readFileSync } from 'node:fs';

/**
 * Whether a process is still running. A zombie (exited, not yet reaped — common in containers whose
 * PID 1 does not reap orphans) counts as gone.
 */
export function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    // "pid (comm) S …": the state follows the last ')' since comm may hold spaces or parentheses.
    const text = readFileSync(stat, 'utf8');
    const state = text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Waits (up to `ms`) for a process to be gone; the kernel may take a moment to reap a killed tree. */
export async function gone(pid: number, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
