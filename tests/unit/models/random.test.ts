import { describe, expect, it } from 'vitest';
import { createRandom, drawsKernel } from '../../../src/core/models/random.ts';

describe('seeded draws', () => {
  it('bootstrap counts in WebAssembly equal the JS loop, call after call, and leave the same state', () => {
    expect(drawsKernel(10)).toBeDefined();
    for (const [seed, n] of [[0, 1], [7, 13], [12345, 1000], [2 ** 31 + 5, 200_000]] as const) {
      const fast = createRandom(seed);
      const reference = createRandom(seed, { allowWasm: false });
      for (let call = 0; call < 3; call++) {
        const a = new Int32Array(n).fill(call);
        const b = new Int32Array(n).fill(call);
        fast.drawCounts(a);
        reference.drawCounts(b);
        expect(a).toEqual(b);
        expect(a.reduce((s, c) => s + c, 0)).toBe(n * (call + 1));
      }
      expect(fast.next()).toBe(reference.next());
    }
  });
});
