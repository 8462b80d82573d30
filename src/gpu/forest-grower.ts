import { cpuForestGrower, type ForestGrower, type ForestGrowerFactory } from '../core/models/forest/forest-grower.ts';
import { ForestScratch, growForestTree, type ForestData, type GrowForestParams } from '../core/models/forest/grow-forest-tree.ts';
import type { ForestTree } from '../core/models/forest/types.ts';
import type { GpuDevice } from './device.ts';
import { GpuClassCounts } from './forest-count-source.ts';

export interface GpuForestOptions {
  /**
   * Nodes with fewer distinct in-bag rows go to the CPU reference (with their subtrees). Default:
   * the mean bins per feature × (classes + 1), the cells one feature's histogram reads back; 0
   * keeps every node on the GPU.
   */
  minGpuRows?: number;
}

/**
 * Grows forest trees with the WebGPU kernels (forest-count-source.ts) through the same grower as
 * the CPU reference, so both make the same split decisions and grow the same trees. A lost device
 * (or any GPU fault) regrows the tree it happened in, and grows the rest, on the CPU: the same trees.
 */
export function gpuForestGrower(gpu: GpuDevice, options: GpuForestOptions = {}): ForestGrowerFactory {
  return (data, params) => new GpuForestGrower(gpu, data, params, options.minGpuRows ?? defaultMinGpuRows(data));
}

class GpuForestGrower implements ForestGrower {
  private readonly source: GpuClassCounts;
  private readonly scratch: ForestScratch;
  private fallback: ForestGrower | undefined;
  private fellBack: string | undefined;

  constructor(
    private readonly gpu: GpuDevice,
    private readonly data: ForestData,
    private readonly params: GrowForestParams,
    minGpuRows: number,
  ) {
    this.source = new GpuClassCounts(gpu, data.matrix, data.y, data.classes, minGpuRows);
    this.scratch = new ForestScratch(data);
  }

  get device(): string {
    return this.fellBack !== undefined ? `${this.gpu.adapter}; finished on cpu (${this.fellBack})` : this.gpu.adapter;
  }

  async grow(draws: Int32Array, treeSeed: number): Promise<ForestTree> {
    if (!this.fallback) {
      try {
        if (this.gpu.lost) throw new Error(`device lost: ${this.gpu.lost}`);
        const tree = await growForestTree(this.source, this.params, draws, treeSeed, this.scratch);
        if (this.gpu.error) throw new Error(this.gpu.error);
        if (this.gpu.lost) throw new Error(`device lost: ${this.gpu.lost}`);
        return tree;
      } catch (err) {
        this.fellBack = this.gpu.lost ? `device lost: ${this.gpu.lost}` : (err as Error).message || (err as Error).name || String(err);
        this.fallback = await cpuForestGrower(this.data, this.params);
      }
    }
    return this.fallback.grow(draws, treeSeed);
  }

  dispose(): void {
    this.source.dispose();
    this.fallback?.dispose();
  }
}

function defaultMinGpuRows({ matrix, classes }: ForestData): number {
  let bins = 0;
  for (let f = 0; f < matrix.features; f++) bins += matrix.binCounts[f]!;
  return Math.ceil((bins / Math.max(1, matrix.features)) * (classes + 1));
}
