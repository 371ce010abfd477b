import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

/**
 * Each request's logger (`request.log`, bound to its request id), made the first time it writes. With
 * request logging off, most requests never log, yet pino's child() cost every one of them a logger
 * object and its bindings serialized to JSON: a tenth of an OFREP evaluation's own CPU. A line logged
 * through it is the line the child would have written.
 */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  // The log methods are LogFn's overloads, which a class method cannot restate; they pass them on as they are.
  return new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}

type Log = (this: FastifyBaseLogger, ...args: unknown[]) => void;

/** Prototype methods, not arrow-function fields: a request pays for one small object, no closures. */
class RequestLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.logger.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  fatal(...args: unknown[]): void {
    (this.logger.fatal as Log).apply(this.logger, args);
  }
  error(...args: unknown[]): void {
    (this.logger.error as Log).apply(this.logger, args);
  }
  warn(...args: unknown[]): void {
    (this.logger.warn as Log).apply(this.logger, args);
  }
  info(...args: unknown[]): void {
    (this.logger.info as Log).apply(this.logger, args);
  }
  debug(...args: unknown[]): void {
    (this.logger.debug as Log).apply(this.logger, args);
  }
  trace(...args: unknown[]): void {
    (this.logger.trace as Log).apply(this.logger, args);
  }
  silent(...args: unknown[]): void {
    (this.logger.silent as Log).apply(this.logger, args);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}
