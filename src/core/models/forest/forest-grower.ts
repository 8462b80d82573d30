import { CpuClassCounts } from './class-counts.ts';
import { ForestScratch, growForestTree, type ForestData, type GrowForestParams } from './grow-forest-tree.ts';
import type { ForestTree } from './types.ts';

/**
 * What grows the trees of a forest: the CPU reference here, or a GPU engine (src/gpu) whose
 * class-count histograms come from WebGPU kernels. Both hand exact integer counts to the same
 * grower (grow-forest-tree.ts), so both grow the same trees.
 */
export interface ForestGrower {
  /** "cpu", or the GPU adapter's description. */
  readonly device: string;
  /** One tree: row i drawn `draws[i]` times (0: out of bag); node features drawn from `treeSeed`. */
  grow(draws: Int32Array, treeSeed: number): ForestTree | Promise<ForestTree>;
  /**
   * Trees it grows at once (threads: src/workers/forest-pool.ts): `trainForest` keeps this many
   * `grow` calls in flight and takes their trees in order. 1 when absent.
   */
  readonly concurrency?: number;
  /** Frees what the grower holds (device buffers). */
  dispose(): void;
}

export type ForestGrowerFactory = (data: ForestData, params: GrowForestParams) => ForestGrower | Promise<ForestGrower>;

/** The CPU grower, one thread: its class counts in WebAssembly where the host has it. */
export const cpuForestGrower: ForestGrowerFactory = (data, params) => forestGrowerOn(new CpuClassCounts(data.matrix, data.y, data.classes), data, params);

/** The CPU reference grower: one thread, every loop in JS. */
export const jsCpuForestGrower: ForestGrowerFactory = (data, params) => forestGrowerOn(new CpuClassCounts(data.matrix, data.y, data.classes, false), data, params);

function forestGrowerOn(source: CpuClassCounts, data: ForestData, params: GrowForestParams): ForestGrower {
  const scratch = new ForestScratch(data);
  scratch.candidates.kernel = source.scanKernel();
  return {
    device: 'cpu',
    grow: (draws, treeSeed) => growForestTree(source, params, draws, treeSeed, scratch),
    dispose: () => undefined,
  };
}
