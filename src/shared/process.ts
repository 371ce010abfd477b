import { spawn } from 'node:child_process';
import type { Redactor } from '../config/index.js';
import { formatDuration } from '../config/index.js';
import { OutputBuffer, REDACTION_SLACK } from './output.js';

/**
 * The one way Medic runs a child process: runbook `run` steps, and the `run`, `script` and `rollback`
 * remediation actions all come through here.
 *
 * - Alert data never becomes command text. Callers pass it in `env`; the command is fixed config.
 * - The child leads its own process group, so a timeout or an abort stops the whole tree (a shell's
 *   `sleep 100` grandchild too): SIGTERM to the group, then SIGKILL after a grace period.
 * - stdout and stderr are captured together in arrival order, bounded, redacted, and the cut is said.
 */

export interface ProcessSpec {
  /** Executable to start (a path, or a name looked up on the env's PATH). */
  file: string;
  args?: readonly string[];
  /** The child's whole environment: nothing of Medic's own environment is inherited beyond it. */
  env: Record<string, string>;
  cwd: string;
  /** Stops the process group when aborted. */
  signal?: AbortSignal;
  timeoutMs: number;
  /** Bytes of output to show; the rest is counted and noted. */
  maxOutput: number;
  redactor: Redactor;
  /** Between SIGTERM and SIGKILL, and how long processes still holding the output open may outlive the leader. */
  killGraceMs?: number;
}

export interface ProcessResult {
  /** Exit code, or null when the process was killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved, redacted, capped. */
  output: string;
  truncated: boolean;
  timedOut: boolean;
  /** Stopped because `signal` was aborted. */
  aborted: boolean;
  /** The process could not be started (missing file, not executable, …). */
  startError?: string;
  durationMs: number;
}

export const DEFAULT_KILL_GRACE_MS = 2000;

/** The shell commands run with. A fixed path: PATH comes from config/env and must not pick the shell. */
export const SHELL = '/bin/sh';

/**
 * Runs `command` with `/bin/sh -c`. The shell's stderr is pointed at its stdout first, so both streams
 * share one pipe and keep their true order (the prefix is constant text, never alert data).
 */
export function runShell(command: string, spec: Omit<ProcessSpec, 'file' | 'args'>): Promise<ProcessResult> {
  return runProcess({ ...spec, file: SHELL, args: ['-c', `exec 2>&1; ${command}`] });
}

/** Starts `file` with `args` directly (no shell) and waits for it and its output to finish. */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  const started = performance.now();
  const grace = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const buffer = new OutputBuffer(spec.maxOutput + REDACTION_SLACK);

  return new Promise<ProcessResult>((resolve) => {
    let timedOut = false;
    let aborted = false;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let startError: string | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const finish = () => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      spec.signal?.removeEventListener('abort', onAbort);
      const { text, truncated } = buffer.finish(spec.maxOutput, spec.redactor);
      resolve({
        exitCode,
        signal: exitSignal,
        output: text,
        truncated,
        timedOut,
        aborted,
        ...(startError !== undefined ? { startError: spec.redactor.redact(startError) } : {}),
        durationMs: performance.now() - started,
      });
    };

    if (spec.signal?.aborted) {
      aborted = true;
      startError = 'not started: cancelled before start';
      finish();
      return;
    }

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(spec.file, spec.args ?? [], {
        cwd: spec.cwd,
        env: spec.env,
        // A new session and process group led by the child, so the whole tree can be signalled at once.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      // Synchronous failures: an env value with a NUL byte, a bad cwd type, …
      startError = (err as Error).message;
      finish();
      return;
    }

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    /** SIGTERM now, SIGKILL after the grace period for anything that ignored it. */
    const stop = () => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), grace));
    };
    function onAbort() {
      if (settled || aborted || timedOut) return;
      aborted = true;
      stop();
    }

    child.stdout?.on('data', (chunk: Buffer) => buffer.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => buffer.push(chunk));

    child.on('error', (err: NodeJS.ErrnoException) => {
      startError = describeSpawnError(spec.file, err);
      // A process that never started emits no 'close' on every Node version; finish here.
      if (child.pid === undefined) finish();
    });
    child.on('exit', (code, sig) => {
      exitCode = code;
      exitSignal = sig;
      // Processes the command left behind that still hold our output pipes open get the grace period,
      // then the group is killed: a step ends when its command does. (Properly detached daemons, whose
      // output is redirected elsewhere, do not hold the pipes and are left alone.)
      timers.push(setTimeout(() => killGroup('SIGKILL'), grace));
    });
    child.on('close', finish);

    timers.push(
      setTimeout(() => {
        if (settled || aborted) return;
        timedOut = true;
        stop();
      }, spec.timeoutMs),
    );
    spec.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describeSpawnError(file: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return `${file}: not found`;
    case 'EACCES':
      return `${file}: permission denied (is it executable? chmod +x)`;
    case 'ENOEXEC':
      return `${file}: not an executable format (does the script start with a #! line?)`;
    default:
      return `${file}: ${err.message}`;
  }
}

/** One line saying how a process ended, for errors and reports; undefined when it exited 0. */
export function describeProcessFailure(result: ProcessResult, timeoutMs: number): string | undefined {
  if (result.startError !== undefined) return result.startError;
  if (result.timedOut) return `timed out after ${formatDuration(timeoutMs)}; the process group was stopped`;
  if (result.aborted) return 'cancelled; the process group was stopped';
  if (result.exitCode === 0) return undefined;
  if (result.exitCode !== null) return `exited with code ${result.exitCode}`;
  return `killed by ${result.signal ?? 'a signal'}`;
}
