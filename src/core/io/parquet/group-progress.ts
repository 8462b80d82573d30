import { nextTask } from '../next-task.ts';
import { CancelledError, type LoadOptions } from '../types.ts';

/** Yield to the event loop at most this often (ms), so a cancel message can arrive. */
const YIELD_EVERY_MS = 16;

/**
 * Between row groups: checks the AbortSignal, reports progress in bytes of the file (in proportion
 * to the rows read) and now and then yields to the event loop.
 */
export class GroupProgress {
  private readonly name: string;
  private readonly options: Pick<LoadOptions, 'signal' | 'onProgress'>;
  private readonly bytes: number;
  private readonly rows: number;
  private done = 0;
  private lastYield = performance.now();

  constructor(name: string, options: Pick<LoadOptions, 'signal' | 'onProgress'>, bytes: number, rows: number) {
    this.name = name;
    this.options = options;
    this.bytes = bytes;
    this.rows = rows;
  }

  /** Throws CancelledError once the signal has fired. */
  check(): void {
    if (this.options.signal?.aborted) throw new CancelledError(this.name);
  }

  /** After `rows` more rows were read. */
  async step(rows: number): Promise<void> {
    this.done += rows;
    this.options.onProgress?.({ stage: 'reading', done: Math.round((this.bytes * this.done) / Math.max(1, this.rows)), total: this.bytes });
    if (performance.now() - this.lastYield >= YIELD_EVERY_MS) {
      await nextTask();
      this.lastYield = performance.now();
    }
  }
}
