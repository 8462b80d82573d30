import { GrowableArray } from './growable.ts';

/**
 * A dictionary of byte strings with an open-addressing hash table: string columns are coded
 * without creating a JS string per field. Entries keep their first-seen order.
 */
export class ByteDictionary {
  /** Concatenated entry bytes and their offsets (entry k is bytes[offsets[k], offsets[k+1])). */
  readonly bytes = new GrowableArray(Uint8Array, 1 << 12);
  readonly offsets = new GrowableArray(Int32Array, 256);
  private slots = new Int32Array(256).fill(-1);
  private hashes = new GrowableArray(Int32Array, 256);
  size = 0;

  constructor() {
    this.offsets.push(0);
  }

  /** The code of the bytes b[s, e), adding them when new. */
  code(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    const dictBytes = this.bytes.values;
    const offs = this.offsets.values;
    for (;;) {
      const k = this.slots[slot]!;
      if (k < 0) break;
      if (this.hashes.values[k] === h) {
        const ks = offs[k]!;
        const ke = offs[k + 1]!;
        if (ke - ks === e - s && equalBytes(dictBytes, ks, b, s, e - s)) return k;
      }
      slot = (slot + 1) & mask;
    }
    const k = this.size++;
    this.slots[slot] = k;
    this.hashes.push(h);
    this.bytes.append(b, s, e);
    this.offsets.push(this.bytes.length);
    if (this.size * 2 > this.slots.length) this.rehash();
    return k;
  }

  entry(k: number): Uint8Array {
    return this.bytes.values.subarray(this.offsets.values[k]!, this.offsets.values[k + 1]!);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.size; k++) {
      let slot = this.hashes.values[k]! & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = k;
    }
    this.slots = slots;
  }
}

function equalBytes(a: Uint8Array, as: number, b: Uint8Array, bs: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}
