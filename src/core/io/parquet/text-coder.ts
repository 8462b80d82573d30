import type { ByteDictionary } from '../../table/byte-dictionary.ts';

/**
 * Codes byte strings into a column's dictionary. A value equal to the one before it (runs are
 * common in logs sorted by time or class) costs one byte comparison instead of a hash.
 */
export class TextCoder {
  private readonly dict: ByteDictionary;
  private bytes: Uint8Array | null = null;
  private start = 0;
  private end = -1;
  private last = 0;

  constructor(dict: ByteDictionary) {
    this.dict = dict;
  }

  /** The code of bytes[s, e). */
  code(bytes: Uint8Array, s: number, e: number): number {
    const len = e - s;
    if (bytes === this.bytes && len === this.end - this.start) {
      const ps = this.start;
      let j = 0;
      while (j < len && bytes[s + j] === bytes[ps + j]) j++;
      if (j === len) return this.last;
    }
    this.bytes = bytes;
    this.start = s;
    this.end = e;
    this.last = this.dict.code(bytes, s, e);
    return this.last;
  }
}
