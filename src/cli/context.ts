import { userInfo } from 'node:os';
import type { LoadedConfig } from '../config/index.js';
import { openRuntime } from '../runtime/bootstrap.js';
import { buildCore, type Core } from '../runtime/core.js';
import { createLogger } from '../shared/logger.js';
import { loadCommandConfig, type ConfigUse } from './config-path.js';
import type { Output } from './output.js';

/**
 * What one run of a command gets: its options (parsed and checked by commander), where to print, and
 * what it opens, each on first use and once: its config, the core over the config's database, and an
 * abort signal for Ctrl-C. `close` undoes whatever was opened. Nothing is opened before the command
 * asks, so a command that fails on its input, or needs only the config, opens no database.
 */
export class CommandContext<O extends object> {
  private loaded: LoadedConfig | undefined;
  private opening: Promise<Core> | undefined;
  private abort: AbortController | undefined;
  private readonly interrupt = () => this.abort?.abort(new Error('interrupted'));

  constructor(
    readonly opts: O & { config?: string },
    readonly io: Output,
    private readonly use: ConfigUse | undefined,
  ) {}

  /** The config: -c, else ./medic.yaml, else the demo's for a command that reads (see loadCommandConfig). */
  config(): LoadedConfig {
    if (this.use === undefined) throw new Error('this command takes no config (give its spec a `config`)');
    return (this.loaded ??= loadCommandConfig(this.opts.config, this.use, this.io));
  }

  /**
   * The same core the server runs, so a command's events enqueue the same notifications and jobs for
   * the workers. A one-off command applies nothing of its config to the database (openRuntime's
   * applyConfig is left off): it acts on what the database holds. Logs go to stderr at `warn` unless
   * MEDIC_LOG_LEVEL says otherwise, keeping stdout for the command's own output.
   */
  core(): Promise<Core> {
    return (this.opening ??= this.openCore());
  }

  private async openCore(): Promise<Core> {
    const loaded = this.config();
    const logger = createLogger({ level: process.env.MEDIC_LOG_LEVEL ?? 'warn', redactor: loaded.redactor, destination: process.stderr, pretty: false });
    const rt = await openRuntime(loaded, { role: 'cli', logger });
    try {
      return await buildCore(rt);
    } catch (err) {
      await rt.store.close();
      throw err;
    }
  }

  /**
   * Aborted by the first Ctrl-C (SIGINT), for work that stops cleanly: a runbook's steps, a rollback
   * command, a verification watch. Only a command that reads it catches SIGINT; a second Ctrl-C, or one
   * during any other command, ends the process as usual.
   */
  get signal(): AbortSignal {
    if (!this.abort) {
      this.abort = new AbortController();
      process.once('SIGINT', this.interrupt);
    }
    return this.abort.signal;
  }

  async close(): Promise<void> {
    process.off('SIGINT', this.interrupt);
    const opening = this.opening;
    this.opening = undefined;
    // A core that failed to open closed its own store.
    const core = await opening?.catch(() => undefined);
    await core?.rt.store.close();
  }
}

/** Who a command's changes are recorded as: `cli:<user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
