import { Option } from 'commander';
import { formatDuration } from '../../config/index.js';
import { DEFAULT_WINDOW_MS, MAX_WINDOW_MS, MIN_WINDOW_MS, renderCommandCenter, type CommandCenter } from '../../diagnose/index.js';
import type { Cli } from '../command.js';
import { localSource, serverSource, SourceError, type DashboardSource } from '../dashboard-source.js';
import { EXIT, type Output } from '../output.js';
import { duration, url } from '../parse.js';
import { runScreen } from '../screen.js';

interface DashboardOptions {
  server?: string;
  token?: string;
  window: number;
  interval: number;
  once?: boolean;
}

/**
 * `medic dashboard`: the command center in a terminal, refreshed every few seconds until `q`. From a
 * server's API with `--server`, else from the local database. `--once` (or output that is not a
 * terminal) prints one frame and exits: 0, or 1 when the data could not be read.
 */
export function dashboardCommand(cli: Cli): void {
  cli.command<DashboardOptions>({
    name: 'dashboard',
    description: 'the command center as a full-screen terminal view (q to quit)',
    options: [
      new Option('--server <url>', 'read it from a Medic server, e.g. http://medic.internal:8080 (default: the local database)').argParser(url(true)),
      new Option('--token <token>', 'API token for --server').env('MEDIC_TOKEN'),
      new Option('--window <duration>', 'compare the last <duration> with the one before (1m to 1h)').argParser(duration(MIN_WINDOW_MS, MAX_WINDOW_MS)).default(DEFAULT_WINDOW_MS, formatDuration(DEFAULT_WINDOW_MS)),
      new Option('--interval <duration>', 'time between refreshes').argParser(duration(1000)).default(5000, '5s'),
      new Option('--once', 'print one frame and exit'),
    ],
    config: 'read',
    async action(ctx) {
      const { server, token, window, interval, once: printOnce } = ctx.opts;
      const source = server ? serverSource(server, token) : localSource(await ctx.core());
      try {
        const interactive = !printOnce && process.stdout.isTTY === true && process.stdin.isTTY === true;
        return interactive ? await live(source, window, interval) : await once(source, window, ctx.io);
      } finally {
        await source.close();
      }
    },
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
