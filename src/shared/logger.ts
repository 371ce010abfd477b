import pino, { type Logger } from 'pino';
import type { Redactor } from '../config/index.js';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Secrets to strip from every line; the same Redactor the config loader filled. */
  redactor?: Redactor;
  /** Human-readable output (default: when stdout is a terminal). */
  pretty?: boolean;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/**
 * pino JSON logs, pretty on a terminal. Every message and every string field passes through the
 * Redactor, so a secret that reaches a log call (inside an error from a webhook URL, say) is replaced
 * before the line is written.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { redactor } = options;
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const config: pino.LoggerOptions = {
    level: options.level ?? process.env.MEDIC_LOG_LEVEL ?? 'info',
    base: { name: 'medic' },
    serializers: {
      err: (err: Error) => {
        const s = pino.stdSerializers.err(err);
        return redactor ? redactor.redactDeep(s) : s;
      },
    },
  };
  // pino reads these objects' fields: leave them out entirely (not undefined) when nothing is redacted.
  if (redactor) {
    config.formatters = { log: (obj) => redactor.redactDeep(obj) };
    config.hooks = {
      logMethod(args, method) {
        const clean = args.map((a) => (typeof a === 'string' ? redactor.redact(a) : a instanceof Error ? redactError(a, redactor) : a));
        return method.apply(this, clean as Parameters<typeof method>);
      },
    };
  }
  if (pretty) {
    return pino({ ...config, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' } } });
  }
  return options.destination ? pino(config, options.destination as pino.DestinationStream) : pino(config);
}

function redactError(err: Error, redactor: Redactor): Record<string, unknown> {
  return { err: redactor.redactDeep(pino.stdSerializers.err(err)) };
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
