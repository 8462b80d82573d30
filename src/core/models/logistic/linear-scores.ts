import { fitKernels, type FitKernels, type KernelLabels } from './fit-kernels.ts';
import { BLOCK, type DesignMatrix } from './design-matrix.ts';

/**
 * Free rows of weights for K classes: 1 for two classes (class 0's logit fixed at 0, a sigmoid),
 * else K. Free row r is class `K − free + r`.
 */
export const freeRows = (classes: number): number => (classes === 2 ? 1 : classes);

/** Per free row, its intercept less Σ w_j · shift_j over the sparse (uncentred) columns. */
export function effectiveIntercepts(design: DesignMatrix, w: Float64Array, free: number, out: Float64Array): void {
  const stride = design.width + 1;
  for (let r = 0; r < free; r++) {
    const off = r * stride;
    let b = w[off + design.width]!;
    design.columns.forEach((column, j) => {
      if (column.kind === 'sparse') b -= w[off + j]! * column.shift;
    });
    out[r] = b;
  }
}

const denseLists = new WeakMap<DesignMatrix, number[]>();

/** Indices of the dense columns (the kernels' work), in design order. */
function denseColumns(design: DesignMatrix): number[] {
  let list = denseLists.get(design);
  if (!list) {
    list = [];
    design.columns.forEach((column, j) => {
      if (column.kind === 'dense') list!.push(j);
    });
    denseLists.set(design, list);
  }
  return list;
}

/** The kernels over a design's columns (indexed by design column), with its rows' labels for the objective's loops. */
export function designKernels(design: DesignMatrix, free: number, allowWasm = true, labels?: KernelLabels): FitKernels {
  return fitKernels(design.columns, free, allowWasm, labels);
}

/**
 * Linear scores of rows [start, start + m) into the kernels' Z (free row r at r·BLOCK): the
 * intercepts from `effectiveIntercepts`, plus every column times its weight. Column by column over
 * the block, in a fixed order: deterministic.
 */
export function blockScores(design: DesignMatrix, w: Float64Array, intercepts: Float64Array, free: number, start: number, m: number, kernels: FitKernels): void {
  const { width, columns, groups, hot } = design;
  const { Z } = kernels;
  const stride = width + 1;
  const B = BLOCK;
  for (let r = 0; r < free; r++) Z.fill(intercepts[r]!, r * B, r * B + m);
  const block = start / BLOCK;
  const dense = denseColumns(design);
  const quads = dense.length & ~3;
  for (let r = 0; r < free; r++) {
    const zo = r * BLOCK;
    const wo = r * stride;
    let q = 0;
    for (; q < quads; q += 4) {
      const [c0, c1, c2, c3] = [dense[q]!, dense[q + 1]!, dense[q + 2]!, dense[q + 3]!];
      kernels.axpy4(zo, w[wo + c0]!, w[wo + c1]!, w[wo + c2]!, w[wo + c3]!, c0, c1, c2, c3, start, m);
    }
    for (; q < dense.length; q++) kernels.axpy(zo, w[wo + dense[q]!]!, dense[q]!, start, m);
  }
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j]!;
    if (column.kind === 'dense') continue;
    const from = column.blockStarts[block]!;
    const to = column.blockStarts[block + 1]!;
    for (let r = 0; r < free; r++) kernels.sparseAxpy(r * BLOCK - start, w[r * stride + j]!, j, from, to);
  }
  for (let i = 0; i < m; i++) {
    const h = (start + i) * groups;
    for (let g = 0; g < groups; g++) {
      const col = hot[h + g]!;
      for (let r = 0; r < free; r++) Z[r * B + i]! += w[r * stride + col]!;
    }
  }
}

/**
 * Adds the residuals R (the kernels' Z after `blockLoss`) of rows [start, start + m) times the
 * design into the gradient: grad[r][j] += Σ_i R[r][i] · x_ij, with the sparse columns' t (their
 * shift is taken out once over all rows by `finishGradient`), and Σ_i R[r][i] into `sums[r]`.
 */
export function blockGradient(design: DesignMatrix, kernels: FitKernels, free: number, start: number, m: number, grad: Float64Array, sums: Float64Array): void {
  const { width, columns, groups, hot } = design;
  const R = kernels.Z;
  const B = BLOCK;
  const stride = width + 1;
  const block = start / BLOCK;
  for (let r = 0; r < free; r++) sums[r]! += kernels.sum(r * B, m);
  const dense = denseColumns(design);
  const quads = dense.length & ~3;
  for (let r = 0; r < free; r++) {
    const zo = r * BLOCK;
    const go = r * stride;
    let q = 0;
    for (; q < quads; q += 4) {
      const [c0, c1, c2, c3] = [dense[q]!, dense[q + 1]!, dense[q + 2]!, dense[q + 3]!];
      const out = kernels.dot4(zo, c0, c1, c2, c3, start, m);
      grad[go + c0]! += out[0]!;
      grad[go + c1]! += out[1]!;
      grad[go + c2]! += out[2]!;
      grad[go + c3]! += out[3]!;
    }
    for (; q < dense.length; q++) grad[go + dense[q]!]! += kernels.dot(zo, dense[q]!, start, m);
  }
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j]!;
    if (column.kind === 'dense') continue;
    const from = column.blockStarts[block]!;
    const to = column.blockStarts[block + 1]!;
    for (let r = 0; r < free; r++) grad[r * stride + j]! += kernels.sparseDot(r * BLOCK - start, j, from, to);
  }
  for (let i = 0; i < m; i++) {
    const h = (start + i) * groups;
    for (let g = 0; g < groups; g++) {
      const col = hot[h + g]!;
      for (let r = 0; r < free; r++) grad[r * stride + col]! += R[r * B + i]!;
    }
  }
}

/** After all blocks: intercept gradients from `sums`, and the sparse columns' shift: Σ R·(t − shift) = Σ R·t − shift·Σ R. */
export function finishGradient(design: DesignMatrix, free: number, grad: Float64Array, sums: Float64Array): void {
  const stride = design.width + 1;
  for (let r = 0; r < free; r++) {
    grad[r * stride + design.width]! += sums[r]!;
    design.columns.forEach((column, j) => {
      if (column.kind === 'sparse') grad[r * stride + j]! -= column.shift * sums[r]!;
    });
  }
}
