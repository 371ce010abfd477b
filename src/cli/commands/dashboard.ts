import type { Command } from 'commander';
import { ConfigError, parseDuration } from '../../config/index.js';
import { parseWindow, renderCommandCenter, type CommandCenter } from '../../diagnose/index.js';
import { localSource, serverSource, SourceError, type DashboardSource } from '../dashboard-source.js';
import { EXIT, reportConfigError, UsageError, type Output } from '../output.js';
import { runScreen } from '../screen.js';
import { configHelp } from '../config-path.js';

interface DashboardOptions {
  server?: string;
  token?: string;
  window: string;
  interval: string;
  once?: boolean;
  config?: string;
}

/**
 * `medic dashboard`: the command center in a terminal, refreshed every few seconds until `q`. From a
 * server's API with `--server`, else from the local database. `--once` (or output that is not a
 * terminal) prints one frame and exits: 0, or 1 when the data could not be read.
 */
export function dashboardCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('dashboard')
    .description('the command center as a full-screen terminal view (q to quit)')
    .option('--server <url>', 'read it from a Medic server, e.g. http://medic.internal:8080 (default: the local database)')
    .option('--token <token>', 'API token for --server (default: $MEDIC_TOKEN)')
    .option('--window <duration>', 'compare the last <duration> with the one before (1m to 1h)', '5m')
    .option('--interval <duration>', 'time between refreshes', '5s')
    .option('--once', 'print one frame and exit')
    .option('-c, --config <file>', configHelp('read'))
    .action(async (opts: DashboardOptions) => {
      const windowMs = parseWindow(opts.window);
      if (windowMs === undefined) throw new UsageError(`--window: expected a duration from 1m to 1h such as 5m, got ${JSON.stringify(opts.window)}`);
      const intervalMs = parseDuration(opts.interval);
      if (intervalMs === undefined || intervalMs < 1000) throw new UsageError(`--interval: expected a duration of at least 1s such as 5s, got ${JSON.stringify(opts.interval)}`);
      if (opts.server !== undefined && !/^https?:\/\/[^/]/.test(opts.server)) throw new UsageError(`--server: expected an http:// or https:// URL, got ${JSON.stringify(opts.server)}`);

      let source: DashboardSource;
      try {
        source = opts.server ? serverSource(opts.server, opts.token ?? process.env.MEDIC_TOKEN) : await localSource(opts.config, io);
      } catch (err) {
        if (err instanceof ConfigError) return setExit(reportConfigError(err, io));
        throw err;
      }
      try {
        const interactive = !opts.once && process.stdout.isTTY === true && process.stdin.isTTY === true;
        setExit(interactive ? await live(source, windowMs, intervalMs) : await once(source, windowMs, io));
      } finally {
        await source.close();
      }
    });
}

const utcOffset = () => -new Date().getTimezoneOffset();
const color = (stream: NodeJS.WriteStream) => stream.isTTY === true && !process.env.NO_COLOR;

async function once(source: DashboardSource, windowMs: number, io: Output): Promise<number> {
  let data: CommandCenter;
  try {
    data = await source.fetch(windowMs, true);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    io.err(err.message);
    return EXIT.failed;
  }
  const lines = renderCommandCenter(data, { width: process.stdout.columns || 100, height: 1000, now: Date.now(), utcOffsetMinutes: utcOffset(), color: color(process.stdout), source: source.description, interactive: false });
  io.out(lines.join('\n'));
  return EXIT.ok;
}

async function live(source: DashboardSource, windowMs: number, intervalMs: number): Promise<number> {
  let data: CommandCenter | undefined;
  let error: string | undefined;
  await runScreen({
    input: process.stdin,
    output: process.stdout,
    intervalMs,
    async refresh() {
      try {
        data = await source.fetch(windowMs);
        error = undefined;
      } catch (err) {
        // Shown on the screen; the last good data stays up and the next refresh tries again.
        error = err instanceof SourceError ? err.message : String(err);
      }
    },
    draw: ({ width, height }) =>
      renderCommandCenter(data, { width, height, now: Date.now(), utcOffsetMinutes: utcOffset(), color: color(process.stdout), source: source.description, error, refreshSeconds: Math.round(intervalMs / 1000) }),
  });
  return EXIT.ok;
}
