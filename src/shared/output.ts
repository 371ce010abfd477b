import type { Redactor } from '../config/index.js';

/**
 * Bounded capture of what a command, an HTTP answer or an API printed, shown to people on the incident
 * timeline. Memory stays bounded whatever the source writes; the cut is always said, never silent; and
 * secrets are redacted before the cut, so a secret that straddles the cut point is still caught whole.
 */

/**
 * Bytes kept past the shown limit so that redaction sees a secret that begins just before the cut whole
 * (otherwise its first half would be shown, since the redactor only knows whole secrets).
 */
export const REDACTION_SLACK = 8 * 1024;

export interface CappedText {
  text: string;
  truncated: boolean;
}

/** The note appended where output was cut. */
export function cutNote(bytes: number): string {
  return `[… ${bytes} bytes cut]`;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Back off continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * Redacts `text`, then keeps at most `maxBytes` of it. `droppedBefore` counts bytes the caller already
 * discarded unread (they are included in the note).
 */
export function redactAndCap(text: string, maxBytes: number, redactor: Redactor, droppedBefore = 0): CappedText {
  const redacted = redactor.redact(text);
  const size = Buffer.byteLength(redacted, 'utf8');
  if (size <= maxBytes && droppedBefore === 0) return { text: redacted, truncated: false };
  const shown = utf8Prefix(redacted, maxBytes);
  const cut = size - Buffer.byteLength(shown, 'utf8') + droppedBefore;
  const separator = shown === '' || shown.endsWith('\n') ? '' : '\n';
  return { text: `${shown}${separator}${cutNote(cut)}`, truncated: true };
}

/** Collects chunks up to a byte budget and counts (without storing) the rest. */
export class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  /** @param keepBytes how much to store; the shown limit plus REDACTION_SLACK unless the caller needs more. */
  constructor(private readonly keepBytes: number) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.total += buf.length;
    const room = this.keepBytes - this.kept;
    if (room <= 0) return;
    const part = buf.length <= room ? buf : buf.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  get totalBytes(): number {
    return this.total;
  }

  /** True when some bytes were counted but not stored. */
  get overflowed(): boolean {
    return this.total > this.kept;
  }

  /** Everything stored, decoded (a character split by the storage limit is dropped). */
  text(): string {
    // Streaming mode holds back an incomplete trailing sequence instead of decoding it as U+FFFD.
    return new TextDecoder('utf-8').decode(Buffer.concat(this.chunks, this.kept), { stream: true });
  }

  /** The stored text redacted and cut to `maxBytes`, with the note counting everything not shown. */
  finish(maxBytes: number, redactor: Redactor): CappedText {
    return redactAndCap(this.text(), maxBytes, redactor, this.total - this.kept);
  }
}
