import { bytes } from './format.ts';

/** Files above this size get a notice with their size and an estimate of the memory they need. */
export const BIG_FILE = 50 * 2 ** 20;

/** The notice before a big load: its size and the memory the worker estimates it needs. */
export function loadNotice(name: string, size: number, memoryBytes: number, limitBytes: number | null): string | null {
  if (size <= BIG_FILE) return null;
  const limit = limitBytes ? ` (this tab's worker can hold about ${bytes(limitBytes)})` : '';
  return `${name} is ${bytes(size)}; loading it needs about ${bytes(memoryBytes)} of memory${limit}.`;
}
