/**
 * A response body read up to the size cap, decoded and parsed at most once however many assertions,
 * extracts and tokens read it.
 */

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export class ResponseBody {
  private decoded: string | undefined;
  private parsed: JsonParse | undefined;

  constructor(
    readonly bytes: Buffer,
    /** True when the body was longer than the cap and only its start was read. */
    readonly truncated: boolean,
  ) {}

  static readonly empty = new ResponseBody(Buffer.alloc(0), false);

  get size(): number {
    return this.bytes.length;
  }

  text(): string {
    this.decoded ??= this.bytes.toString('utf8');
    return this.decoded;
  }

  json(): JsonParse {
    if (!this.parsed) {
      try {
        this.parsed = { ok: true, value: JSON.parse(this.text()) as unknown };
      } catch (err) {
        const why = this.size === 0 ? 'the body is empty' : `${(err as Error).message}${this.truncated ? ' (the body was cut at the size cap)' : ''}`;
        this.parsed = { ok: false, error: `response is not JSON: ${why}` };
      }
    }
    return this.parsed;
  }
}
