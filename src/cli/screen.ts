/**
 * A full-screen terminal view that refreshes itself: the alternate screen (the shell's scrollback is left
 * as it was), no cursor, raw keys. `q`, Esc, Ctrl-C or a signal quit, and the terminal is restored
 * whatever happens: on quit, on an error, and on process exit.
 */

export interface ScreenOptions {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  intervalMs: number;
  /** Fetches new data (its failure is shown by `draw`, not thrown). */
  refresh(): Promise<void>;
  /** The frame for the current size. */
  draw(size: { width: number; height: number }): string[];
}

const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export function runScreen(o: ScreenOptions): Promise<void> {
  const { input, output } = o;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const wasRaw = input.isRaw;

    const paint = () => {
      if (done) return;
      const lines = o.draw({ width: output.columns || 80, height: output.rows || 24 });
      // Home, then each line over the old one (clearing what is left of it), then the rest of the screen.
      output.write(`\x1b[H${lines.join('\x1b[K\r\n')}\x1b[K\x1b[J`);
    };
    const restore = () => {
      output.write(LEAVE);
      if (input.isTTY) input.setRawMode(wasRaw ?? false);
    };
    const quit = () => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      input.off('data', onKey);
      input.pause();
      output.off('resize', paint);
      process.off('SIGINT', quit);
      process.off('SIGTERM', quit);
      process.off('exit', restore);
      restore();
      resolve();
    };
    const onKey = (key: Buffer) => {
      const k = key.toString();
      if (k === 'q' || k === 'Q' || k === '\x03' || k === '\x1b') quit();
    };
    const tick = async () => {
      await o.refresh();
      paint();
      if (!done) timer = setTimeout(() => void tick(), o.intervalMs);
    };

    output.write(ENTER);
    process.on('exit', restore);
    process.on('SIGINT', quit);
    process.on('SIGTERM', quit);
    if (input.isTTY) input.setRawMode(true);
    input.on('data', onKey);
    input.resume();
    output.on('resize', paint);
    paint();
    void tick();
  });
}
