import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/core/io/csv/read-csv.ts';
import type { Table } from 'apache-arrow';
import { readFileSync } from 'node:fs';

/** A stream of the text in small chunks, so rows are cut at chunk boundaries. */
function stream(text: string, chunk = 997): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk));
      c.close();
    },
  });
}

const paths = [
  { name: 'WebAssembly', wasmRows: true },
  { name: 'JS', wasmRows: false },
];

function columns(table: Table): Record<string, unknown[]> {
  return Object.fromEntries(table.schema.fields.map((f, i) => [`${f.name}:${f.type}`, [...table.getChildAt(i)!]]));
}

describe.each(paths)('the fast path for plain rows ($name) reads exactly what the general tokenizer reads', ({ wasmRows }) => {
  const read = (text: string, fastRows: boolean) => readCsv('t.csv', stream(text), {}, () => {}, text.length, { fastRows, wasmRows });

  // 1,500 plain rows (the fast path starts after 1,000), then every kind of row it must hand back.
  const plain = Array.from({ length: 1500 }, (_, r) => `${r},${(r * 0.25).toFixed(2)},host-${r % 7},${r % 3 === 0 ? '' : r},-${r % 11}`);
  const odd = [
    '1500,1.5,"quoted, text",7,-1', // a quote
    '1501,,host-1,8,-2', // first empty float
    '1502,2.5,,9,-3', // empty text
    '1503,NA,host-2,10,-4', // a null token
    '1504,3.5,host-3,11', // a short row
    '1505,4.5,host-4,12,-5,extra', // a long row
    '1506,5.5,host-5,13,-6,', // a trailing delimiter
    '1507,1e3,host-6,14,-7', // an exponent
    '1508,6.5,host-0,15,9999999999', // an int that widens to float
    '1509,7.5,host-1,16,-', // a lone minus: the column turns to text
    '1510,-.5,host-2,17,-8\r', // CRLF
    '1511,.25,host-3,18,-9',
  ];
  const more = Array.from({ length: 1500 }, (_, r) => `${1512 + r},${r}.5,h${r % 5},${r},${r % 4}`);
  const text = ['n,x,host,maybe,small', ...plain, ...odd, ...more].join('\n');

  it('values, types, nulls and row reports agree', async () => {
    const fast = await read(text, true);
    const slow = await read(text, false);
    expect(fast.table.numRows).toBe(slow.table.numRows);
    expect(slow.fastRows).toBe(0);
    expect(fast.fastRows).toBeGreaterThan(1500);
    expect(columns(fast.table)).toEqual(columns(slow.table));
    expect(fast.rowIssues).toEqual(slow.rowIssues);
    expect(fast.warnings).toEqual(slow.warnings);
    expect(fast.table.getChild('host')!.get(1500)).toBe('quoted, text');
    expect(fast.table.getChild('x')!.get(1501)).toBeNull();
    expect(fast.table.getChild('x')!.get(1509)).toBe(-0.5); // the long row 1505 was skipped
    expect(String(fast.table.getChild('small')!.type)).toMatch(/Dictionary/);
  });

  it('a file the fast path keeps handing back (quotes on every row) stops trying, and agrees', async () => {
    const quoted = ['a,b', ...Array.from({ length: 1200 }, (_, r) => `${r},x${r % 3}`), ...Array.from({ length: 3000 }, (_, r) => `${r},"q${r % 5}"`)].join('\n');
    const fast = await read(quoted, true);
    const slow = await read(quoted, false);
    expect(fast.table.numRows).toBe(4200);
    expect(columns(fast.table)).toEqual(columns(slow.table));
    expect(fast.fastRows).toBeLessThan(1000);
  });

  it('the fast path really runs on plain files', async () => {
    const t0 = await read(['a,b,c', ...Array.from({ length: 5000 }, (_, r) => `${r},${r / 4},k${r % 9}`)].join('\r\n'), true);
    expect(t0.table.numRows).toBe(5000);
    // All but the rows cut by a chunk boundary, which the general tokenizer finishes.
    expect(t0.fastRows).toBeGreaterThan(3800);
    expect(t0.table.getChild('b')!.get(4999)).toBe(4999 / 4);
    expect(t0.table.getChild('c')!.get(4998)).toBe('k3');
  });

  it('runs of repeated text, CR-only and CRLF line ends, and rows cut by every chunk size agree', async () => {
    const rows = Array.from({ length: 4000 }, (_, r) => `${r % 13},${r % 50 < 30 ? 'tcp' : r % 7 === 0 ? 'NA' : 'udp'},${(r / 8).toFixed(3)},${r % 400 < 200 ? 'normal.' : 'smurf.'}`);
    for (const eol of ['\r', '\r\n', '\n']) {
      const text = ['a,b,c,d', ...rows].join(eol);
      const slow = await read(text, false);
      for (const chunk of [61, 997, 1 << 16]) {
        const fast = await readCsv('t.csv', stream(text, chunk), {}, () => {}, text.length, { fastRows: true, wasmRows });
        expect(fast.table.numRows).toBe(4000);
        expect(columns(fast.table)).toEqual(columns(slow.table));
        expect(fast.rowIssues).toEqual(slow.rowIssues);
        if (eol === '\n' && chunk > 61) expect(fast.fastRows).toBeGreaterThan(2500);
      }
    }
  });

  it('long and repeated text (past 8 and 16 bytes), 1–10 digit integers, 15 and 16 digit decimals and signed zeros agree', async () => {
    // Neighbours that differ only in their last byte, at 8 bytes (one word) and beyond.
    const agents = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36', 'Mozilla/4.0 (X11; Linux x86_64) AppleWebKit/537.36', 'curl/7.6', 'curl/7.5', 'python-requests/2.31.0 (compatible)', 'python-requests/2.31.0 (compatiblf)', 'x'];
    const ints = [0, 7, -42, 123456789, -987654321, 31, 100000000];
    const decimals = ['0.5', '-0.0', '-0', '12345678901.2345', '1.25', '-.75', '99999999999999.9'];
    const rows = Array.from({ length: 3000 }, (_, r) => {
      const agent = agents[Math.floor(r / 3) % agents.length]!;
      // One 10-digit integer and one 16-digit decimal in the middle: rows the fast path hands back.
      const int = r === 2000 ? '1234567890' : String(ints[r % ints.length]);
      const dec = r === 2500 ? '1234567890.123456' : decimals[r % decimals.length]!;
      return `${int},${dec},${agent},${agent.slice(0, 7 + (r % 3))},${r}`;
    });
    const text = ['i,d,agent,prefix,n', ...rows].join('\n');
    const fast = await read(text, true);
    const slow = await read(text, false);
    expect(fast.fastRows).toBeGreaterThan(1500);
    expect(columns(fast.table)).toEqual(columns(slow.table));
    expect(Object.is(fast.table.getChild('d')!.get(1002), -0)).toBe(true);
    expect(fast.table.getChild('i')!.get(1004)).toBe(123456789);
  });

  it('a value after a skipped row is not taken for missing (the skipped row left a null mark behind)', async () => {
    const rows = ['a,b,c', '1,,x', ...Array.from({ length: 1500 }, (_, r) => `${r},${r},y`), '5,,z,extra', '6,7,w', '8,9,v'];
    const text = rows.join('\n') + '\n';
    const fast = await read(text, true);
    const slow = await read(text, false);
    expect([...fast.table.getChild('b')!].slice(-3)).toEqual([1499, 7, 9]);
    expect(columns(fast.table)).toEqual(columns(slow.table));
    expect(fast.rowIssues).toEqual(slow.rowIssues);
  });
});

describe('on the shared datasets, the WebAssembly and JS fast paths and the general tokenizer give the same table', () => {
  // The share of rows the fast path takes: CIC-IDS has exponents and Infinity, the threat log
  // timestamps (a type the fast path leaves to the general tokenizer).
  const files: [string, number][] = [
    ['nsl-kdd/KDDTest+.txt', 0.9],
    ['cicids2017/CICIDS2017-sample-7class.csv', 0.1],
    ['threat-logs/cybersecurity-threat-detection-logs-10k.csv', 0],
    ['phishing/phishing-websites.csv', 0.9],
  ];
  const load = async (file: string, tuning: { fastRows: boolean; wasmRows: boolean }) => {
    const bytes = new Uint8Array(readFileSync(new URL(`../../../shared/datasets/${file}`, import.meta.url)));
    return readCsv(file, stream(new TextDecoder('latin1').decode(bytes), 1 << 16), {}, () => {}, bytes.length, tuning);
  };
  it.each(files)('%s', async (file, share) => {
    const wasm = await load(file, { fastRows: true, wasmRows: true });
    const js = await load(file, { fastRows: true, wasmRows: false });
    const general = await load(file, { fastRows: false, wasmRows: false });
    expect(wasm.fastRows).toBeGreaterThanOrEqual(share * wasm.table.numRows);
    expect(wasm.fastRows).toBe(js.fastRows);
    for (const other of [js, general]) {
      expect(wasm.table.numRows).toBe(other.table.numRows);
      expect(columns(wasm.table)).toEqual(columns(other.table));
      expect(wasm.warnings).toEqual(other.warnings);
    }
  }, 60_000);
});

describe('the WebAssembly fast path without room to grow its memory', () => {
  it('hands the run of rows to the JS loop, with the same columns', async () => {
    const { ColumnBuilder } = await import('../../src/core/io/csv/column-builder.ts');
    const { WasmFastRows } = await import('../../src/core/io/csv/fast-rows-wasm.ts');
    const { fastRowsModule } = await import('../../src/core/io/csv/fast-rows-kernel.ts');
    // 5 MB of rows: more than the kernel's first memory (4 MiB), so it must grow.
    const lines = Array.from({ length: 200_000 }, (_, r) => `${r},${(r % 97) / 4},host-${r % 13}`);
    const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
    let refused = 0;
    const parse = (grow: boolean) => {
      const cols = [0, 1, 2].map(() => new ColumnBuilder(250_000));
      const first = new TextEncoder().encode('0,0.5,host-0');
      const bounds = [[0, 1], [2, 5], [6, 12]] as const;
      bounds.forEach(([s, e], c) => cols[c]!.add(first, s, e, 1));
      const rows = new WasmFastRows(cols, 0x2c, fastRowsModule()!);
      if (!grow) {
        (rows as unknown as { memory: { grow: () => never } }).memory.grow = () => {
          refused++;
          throw new RangeError('no memory');
        };
      }
      const next = rows.parseRows(bytes, 0, bytes.length);
      rows.sync();
      return { next, parsed: rows.parsed, cols: cols.map((c) => [c.kind, c.length, Array.from(c.kind === 'float' ? c.floats.subarray(0, c.length) : c.ints.subarray(0, c.length))]) };
    };
    const wasm = parse(true);
    const js = parse(false);
    expect(wasm.next).toBe(bytes.length);
    expect(wasm.parsed).toBe(200_000);
    expect(refused).toBe(1);
    expect(js).toEqual(wasm);
  });
});
