import type { Progress } from '../core/io/types.ts';

/** Progress on stderr for work over a second, redrawn in place on a terminal, silent otherwise. */
export function progressLine(label: string): { update: (p: Progress) => void; done: () => void } {
  const start = Date.now();
  const tty = process.stderr.isTTY;
  let shown = false;
  return {
    update: (p) => {
      if (!tty || Date.now() - start < 1000) return;
      const pct = p.total ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
      process.stderr.write(`\r${label}: ${p.stage}${pct}   `);
      shown = true;
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
