/**
 * A small seeded generator (mulberry32): 32 bits of state, fast, and the same sequence on every
 * engine, so a seed reproduces a model bit for bit. Never `Math.random` in model code.
 */
export interface Random {
  /** A float in [0, 1) with 32 random bits. */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** Adds 1 at `n = counts.length` indices drawn with replacement: the draws of n calls of `int(n)`, faster. */
  drawCounts(counts: Int32Array): void;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + STEP) >>> 0;
    return output(state);
  };
  // On a local copy of the state: a bootstrap sample draws n times, and a captured variable is slower.
  const drawCounts = (counts: Int32Array): void => {
    const n = counts.length;
    let s = state;
    for (let d = 0; d < n; d++) {
      s = (s + STEP) >>> 0;
      counts[Math.floor(output(s) * n)]!++;
    }
    state = s;
  };
  return { next, int: (n) => Math.floor(next() * n), drawCounts };
}

const STEP = 0x6d2b79f5;

/** mulberry32's output for a state: a float in [0, 1) with 32 random bits. */
function output(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** `count` distinct indices of [0, n) chosen uniformly, in ascending order (partial Fisher–Yates). */
export function sampleIndices(n: number, count: number, random: Random): Int32Array {
  const k = Math.max(0, Math.min(n, count));
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + random.int(n - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, k).sort();
}
