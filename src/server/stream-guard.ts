import type { Role } from '../config/index.js';
import type { Logger } from '../shared/logger.js';
import { listTokens, type Db } from '../store/index.js';
import { roleAllows } from './roles.js';

/**
 * An event stream stays open for hours, long after the request that opened it was authenticated. The
 * guard ends the stream of a token that was revoked — deleted through the API by this or any other
 * process on the database, or taken out of medic.yaml by a reload — or whose role no longer allows the
 * stream. It reads the tokens from the database (not the auth cache) once per interval for all open
 * streams together, and only while one is open.
 */
export const STREAM_CHECK_MS = 1000;

interface Guarded {
  tokenId: number;
  access: Role;
  end(): void;
}

export class StreamGuard {
  private readonly open = new Set<Guarded>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly intervalMs = STREAM_CHECK_MS,
  ) {}

  /** Watches a stream opened with this token for this access level; returns the function that stops watching it. */
  add(tokenId: number, access: Role, end: () => void): () => void {
    const entry: Guarded = { tokenId, access, end };
    this.open.add(entry);
    if (!this.timer) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      this.timer.unref();
    }
    return () => this.remove(entry);
  }

  /** Ends every open stream (shutdown). */
  endAll(): void {
    for (const entry of [...this.open]) {
      this.remove(entry);
      entry.end();
    }
  }

  private remove(entry: Guarded): void {
    this.open.delete(entry);
    if (this.open.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const roles = new Map((await listTokens(this.db)).map((t) => [t.id, t.role]));
      for (const entry of [...this.open]) {
        const role = roles.get(entry.tokenId);
        if (role !== undefined && roleAllows(role, entry.access)) continue;
        this.remove(entry);
        entry.end();
      }
    } catch (err) {
      // The database is out of reach: keep the streams; they carry no data, and every request still authenticates.
      this.logger.debug({ err }, 'checking the tokens of open streams failed');
    } finally {
      this.checking = false;
    }
  }
}
