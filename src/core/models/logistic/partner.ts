import type { LogisticProblem } from './engine.ts';

/**
 * A logistic fit's partner thread: it computes the data term of the second part of the rows
 * (`secondPart`, with `partObjective`) while the fit's thread computes the first, once per
 * evaluation. The two talk through shared memory (a message costs ~0.2 ms here, as much as a
 * part's evaluation on a small set; Atomics ~10 µs).
 */
export interface LogisticPartner {
  /** Starts the part's evaluation at `w`, there. */
  send(w: Float64Array): void;
  /** The part's value, its gradient written into `grad`, once there; throws when the partner failed or stopped answering. */
  receive(grad: Float64Array): number;
  dispose(): void;
}

/** A partner for a problem's second part, or undefined where there is none (too small to be worth it, or no shared memory). */
export type LogisticPartnerFactory = (part: LogisticProblem) => Promise<LogisticPartner | undefined>;

const COMMAND = 0;
const DONE = 1;
const FAILED = 2;
/** Set while that side sleeps in Atomics.wait: the other wakes it (a system call) only then. */
const PARTNER_ASLEEP = 3;
const FIT_ASLEEP = 4;
/** Set by the partner when it serves (its part loaded). */
const SERVING = 5;
const IDLE = 0;
const EVALUATE = 1;
const STOP = 2;
/** Int32 header (command, done, failed, who sleeps, serving), then Float64: the value, w, the gradient. */
const HEADER = 32;
const SLOTS = HEADER / 4;
/**
 * How long a side polls before it sleeps (ms): evaluations come every few ms, and waking a
 * sleeping thread costs ~0.1 ms here, as much as a small part's evaluation.
 */
const SPIN_MS = 2;

/** Polls `slot` of `control` while it holds `value`, for up to SPIN_MS; whether it changed. */
function spin(control: Int32Array, slot: number, value: number): boolean {
  if (Atomics.load(control, slot) !== value) return true;
  const t = performance.now();
  while (performance.now() - t < SPIN_MS) if (Atomics.load(control, slot) !== value) return true;
  return false;
}

/** The shared memory of a channel for `length` weights. */
export const channelBytes = (length: number): number => HEADER + 8 * (1 + 2 * length);

/**
 * The fit's side of the shared-memory channel: `send` writes w and wakes the partner; `receive`
 * waits for its answer (Atomics.wait: the fit runs on a worker or Node's main thread). A partner
 * silent for 5 s, or for 50 × the time this thread's own part took, is given up on.
 */
export class PartnerChannel implements LogisticPartner {
  readonly buffer: SharedArrayBuffer;
  private readonly control: Int32Array;
  private readonly values: Float64Array;
  private sentAt = 0;
  private stopped = false;

  constructor(private readonly length: number) {
    this.buffer = new SharedArrayBuffer(channelBytes(length));
    this.control = new Int32Array(this.buffer, 0, SLOTS);
    this.values = new Float64Array(this.buffer, HEADER, 1 + 2 * length);
  }

  /**
   * Whether the partner serves, waited for without blocking this thread (in Chromium a fit that
   * blocked right after posting the part never heard its partner); false when it failed, its
   * thread did (`gone`), or it did not start within `timeoutMs`.
   */
  async serving(gone: () => boolean, timeoutMs = 10_000): Promise<boolean> {
    const t = performance.now();
    while (Atomics.load(this.control, SERVING) === 0 && Atomics.load(this.control, FAILED) === 0) {
      if (gone() || performance.now() - t > timeoutMs) return false;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return Atomics.load(this.control, FAILED) === 0;
  }

  send(w: Float64Array): void {
    if (this.stopped) throw new Error('the logistic partner has ended');
    if (Atomics.load(this.control, FAILED) !== 0) throw new Error('the logistic partner failed');
    this.values.set(w, 1);
    Atomics.store(this.control, DONE, 0);
    Atomics.store(this.control, COMMAND, EVALUATE);
    if (Atomics.load(this.control, PARTNER_ASLEEP) !== 0) Atomics.notify(this.control, COMMAND);
    this.sentAt = performance.now();
  }

  receive(grad: Float64Array): number {
    // The partner's part is as large as ours: far longer than ours means it is gone.
    const limit = Math.max(5000, 50 * (performance.now() - this.sentAt));
    spin(this.control, DONE, 0);
    while (Atomics.load(this.control, DONE) === 0) {
      if (Atomics.load(this.control, FAILED) !== 0) throw new Error('the logistic partner failed');
      if (performance.now() - this.sentAt > limit) throw new Error('the logistic partner stopped answering');
      Atomics.store(this.control, FIT_ASLEEP, 1);
      Atomics.wait(this.control, DONE, 0, 100);
      Atomics.store(this.control, FIT_ASLEEP, 0);
    }
    if (Atomics.load(this.control, FAILED) !== 0) throw new Error('the logistic partner failed');
    grad.set(this.values.subarray(1 + this.length, 1 + 2 * this.length));
    return this.values[0]!;
  }

  /** Ends the partner's service (its thread is free again); nothing can be sent after. */
  stop(): void {
    this.stopped = true;
    Atomics.store(this.control, COMMAND, STOP);
    Atomics.notify(this.control, COMMAND);
  }

  dispose(): void {
    this.stop();
  }
}

/**
 * The partner's side: answers evaluations with `term` (the part's data term) until stopped. It
 * holds its thread meanwhile (Atomics.wait), so nothing else runs there during the fit.
 */
export function servePartner(buffer: SharedArrayBuffer, length: number, term: (w: Float64Array, grad: Float64Array) => number): void {
  const control = new Int32Array(buffer, 0, SLOTS);
  const values = new Float64Array(buffer, HEADER, 1 + 2 * length);
  const w = values.subarray(1, 1 + length);
  const grad = values.subarray(1 + length);
  Atomics.store(control, SERVING, 1);
  for (;;) {
    if (!spin(control, COMMAND, IDLE)) {
      Atomics.store(control, PARTNER_ASLEEP, 1);
      Atomics.wait(control, COMMAND, IDLE);
      Atomics.store(control, PARTNER_ASLEEP, 0);
    }
    const command = Atomics.exchange(control, COMMAND, IDLE);
    if (command === STOP) return;
    if (command !== EVALUATE) continue;
    try {
      values[0] = term(w, grad);
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    Atomics.store(control, DONE, 1);
    if (Atomics.load(control, FIT_ASLEEP) !== 0) Atomics.notify(control, DONE);
  }
}

/** The partner's side, when it cannot serve (its part would not load there): the fit hears it at its next send or receive. */
export function failPartner(buffer: SharedArrayBuffer): void {
  const control = new Int32Array(buffer, 0, SLOTS);
  Atomics.store(control, FAILED, 1);
  Atomics.store(control, DONE, 1);
  Atomics.notify(control, DONE);
}
