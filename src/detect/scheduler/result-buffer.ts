import type { FinishedRun } from './schedule-store.js';

/**
 * Finished runs waiting for the next flush. While the database is unreachable the flush puts its batch
 * back and results pile up here, up to `max`; beyond it the oldest go (counted), so a long outage costs
 * old results rather than the worker's memory.
 */
export class ResultBuffer {
  private items: FinishedRun[] = [];

  constructor(
    private readonly max: number,
    private readonly onDrop: (n: number) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(run: FinishedRun): void {
    this.items.push(run);
    this.trim();
  }

  take(n: number): FinishedRun[] {
    return this.items.splice(0, n);
  }

  /** A batch that failed to write goes back in front, in order. */
  putBack(batch: FinishedRun[]): void {
    this.items = batch.concat(this.items);
    this.trim();
  }

  private trim(): void {
    const over = this.items.length - this.max;
    if (over > 0) {
      this.items.splice(0, over);
      this.onDrop(over);
    }
  }
}
