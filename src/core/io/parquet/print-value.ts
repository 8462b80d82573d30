/**
 * The text of a value the workbench has no column type for (a list, struct or map row, a time of
 * day, an interval): JSON where Arrow can give it (lists, structs, maps), else its string form.
 * Byte arrays print as hex. null stays null.
 */
export function printValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return hex(value);
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.stringify((value as { toJSON(): unknown }).toJSON(), (_k, v: unknown) =>
      typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? hex(v) : v,
    );
  }
  return String(value);
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
