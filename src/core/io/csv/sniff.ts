/** Guesses the delimiter and whether the first row is a header, from the first lines of a file. */

const CANDIDATES = [',', ';', '\t', '|'];

export interface Dialect {
  delimiter: string;
  header: boolean;
}

/** Splits sample text into at most maxLines records (quotes respected), each a list of fields. */
export function sampleRecords(text: string, delimiter: string, maxLines: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxLines; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

export function sniffDelimiter(text: string): string {
  let best = ',';
  let bestScore = -1;
  for (const d of CANDIDATES) {
    const counts = sampleRecords(text, d, 30).map((r) => r.length);
    if (counts.length === 0) continue;
    const first = counts[0]!;
    if (first < 2) continue;
    // Lines agreeing with the first line's field count, weighted by how many fields that is.
    const agree = counts.filter((n) => n === first).length / counts.length;
    const score = agree * 1000 + Math.min(first, 999);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

const NUMBERISH = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * A first row is data, not a header, when any of its fields is a number (header names are not),
 * or when it is empty in places; else it is a header.
 */
export function sniffHeader(records: string[][]): boolean {
  const first = records[0];
  if (!first) return false;
  if (first.some((f) => NUMBERISH.test(f))) return false;
  const second = records[1];
  if (!second) return true;
  // Both rows all text: a header when its values differ from the data row's.
  return first.some((f, i) => f !== second[i]);
}

export function sniffDialect(text: string, delimiter?: string): Dialect {
  const d = delimiter ?? sniffDelimiter(text);
  return { delimiter: d, header: sniffHeader(sampleRecords(text, d, 2)) };
}
