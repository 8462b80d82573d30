/** Number parsing straight from bytes, so numeric fields never become JS strings. */

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Exact powers of ten (10^22 is the last exactly representable one). */
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const latin1 = new TextDecoder('latin1');

/** An integer of at most 9 digits (fits int32), else undefined. */
export function parseSmallInt(b: Uint8Array, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  const c0 = b[i];
  if (c0 === MINUS || c0 === PLUS) {
    neg = c0 === MINUS;
    i++;
  }
  const digits = e - i;
  if (digits <= 0 || digits > 9) return undefined;
  let v = 0;
  for (; i < e; i++) {
    const c = b[i]! - ZERO;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/**
 * A decimal number, an exponent form, or a non-finite token (NaN, inf, Infinity with sign);
 * undefined when the bytes are not a number. Plain decimals with ≤ 15 significant digits take
 * Clinger's fast path (an exact integer divided by an exact power of ten rounds correctly);
 * anything else goes through Number() on the decoded text.
 */
export function parseFloatBytes(b: Uint8Array, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  const c0 = b[i];
  if (c0 === MINUS || c0 === PLUS) {
    neg = c0 === MINUS;
    i++;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c >= ZERO && c <= NINE) {
      m = m * 10 + (c - ZERO);
      digits++;
      if (seenDot) frac++;
    } else if (c === DOT && !seenDot) {
      seenDot = true;
    } else {
      break;
    }
  }
  if (i === e) {
    if (digits === 0) return undefined;
    if (digits <= 15 && frac <= 22) {
      const v = frac === 0 ? m : m / POW10[frac]!;
      return neg ? -v : v;
    }
    return Number(latin1.decode(b.subarray(s, e)));
  }
  // Exponent forms and non-finite words.
  const text = latin1.decode(b.subarray(s, e));
  return parseSpecial(text);
}

function parseSpecial(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(t)) return Number(t);
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return undefined;
}

/** Tokens read as missing in any column, as pandas does. */
const NULL_TOKENS = new Set(['NA', 'N/A', 'n/a', 'NULL', 'null', 'None', '#N/A']);
const MAX_NULL_TOKEN = 4;

export function isNullToken(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (n < 2 || n > MAX_NULL_TOKEN) return false;
  const c = b[s]!;
  // Cheap first-byte filter: N, n, #.
  if (c !== 0x4e && c !== 0x6e && c !== 0x23) return false;
  return NULL_TOKENS.has(latin1.decode(b.subarray(s, e)));
}

/** 1 true, 0 false, -1 neither. */
export function parseBool(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n !== 4 && n !== 5) return -1;
  const t = latin1.decode(b.subarray(s, e)).toLowerCase();
  return t === 'true' ? 1 : t === 'false' ? 0 : -1;
}
