/**
 * ISO 8601 timestamps from bytes: YYYY-MM-DD, optionally followed by T or a space, HH:MM[:SS[.fff…]]
 * and a zone (Z or ±HH[:MM]). Returns epoch milliseconds, or undefined when the bytes are not one.
 * A timestamp without a zone is read as UTC, so results do not depend on the machine's time zone.
 */
export function parseIsoTimestamp(b: Uint8Array, s: number, e: number): number | undefined {
  const n = e - s;
  if (n < 10 || n > 35) return undefined;
  const year = digits(b, s, 4);
  if (year < 0 || b[s + 4] !== 0x2d) return undefined;
  const month = digits(b, s + 5, 2);
  if (month < 1 || month > 12 || b[s + 7] !== 0x2d) return undefined;
  const day = digits(b, s + 8, 2);
  if (day < 1 || day > 31) return undefined;
  if (n === 10) return Date.UTC(year, month - 1, day);
  const sep = b[s + 10];
  if ((sep !== 0x54 && sep !== 0x20) || n < 16) return undefined;
  const hour = digits(b, s + 11, 2);
  const minute = digits(b, s + 14, 2);
  if (hour < 0 || hour > 23 || b[s + 13] !== 0x3a || minute < 0 || minute > 59) return undefined;
  let i = s + 16;
  let second = 0;
  let ms = 0;
  if (i < e && b[i] === 0x3a) {
    second = digits(b, i + 1, 2);
    if (second < 0 || second > 60) return undefined;
    i += 3;
    if (i < e && (b[i] === 0x2e || b[i] === 0x2c)) {
      i++;
      let scale = 100;
      const fracStart = i;
      while (i < e && b[i]! >= 0x30 && b[i]! <= 0x39) {
        ms += (b[i]! - 0x30) * scale;
        scale /= 10;
        i++;
      }
      if (i === fracStart) return undefined;
      ms = Math.floor(ms);
    }
  }
  let offsetMinutes = 0;
  if (i < e) {
    const z = b[i];
    if (z === 0x5a && i + 1 === e) {
      i++;
    } else if (z === 0x2b || z === 0x2d) {
      const oh = digits(b, i + 1, 2);
      let om = 0;
      let j = i + 3;
      if (j < e && b[j] === 0x3a) j++;
      if (j < e) {
        om = digits(b, j, 2);
        j += 2;
      }
      if (oh < 0 || om < 0 || j !== e) return undefined;
      offsetMinutes = (z === 0x2d ? -1 : 1) * (oh * 60 + om);
      i = e;
    } else {
      return undefined;
    }
  }
  if (i !== e) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

function digits(b: Uint8Array, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = (b[i] ?? 0) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
