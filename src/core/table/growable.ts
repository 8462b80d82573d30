/** Typed arrays that grow by doubling: the column buffers the CSV parser writes into. */

type TypedArrayCtor<T> = { new (length: number): T };

function grown<T extends { length: number; set(a: ArrayLike<number>): void }>(
  Ctor: TypedArrayCtor<T>,
  old: T,
  need: number,
): T {
  let cap = Math.max(16, old.length);
  while (cap < need) cap *= 2;
  const next = new Ctor(cap);
  next.set(old as unknown as ArrayLike<number>);
  return next;
}

export class GrowableArray<T extends Int32Array | Float64Array | Uint8Array> {
  length = 0;
  private readonly Ctor: TypedArrayCtor<T>;
  values: T;

  constructor(Ctor: TypedArrayCtor<T>, capacity = 1024) {
    this.Ctor = Ctor;
    this.values = new Ctor(capacity);
  }

  push(v: number): void {
    if (this.length === this.values.length) this.values = grown(this.Ctor, this.values, this.length + 1);
    this.values[this.length++] = v;
  }

  /** Appends bytes (Uint8 buffers only). */
  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.values.length) this.values = grown(this.Ctor, this.values, this.length + n);
    (this.values as Uint8Array).set(src.subarray(start, end), this.length);
    this.length += n;
  }

  /** The filled part, trimmed to a new buffer so the spare capacity can be freed. */
  take(): T {
    return this.values.slice(0, this.length) as T;
  }
}
