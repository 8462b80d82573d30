import type { DesignMatrix } from './design-matrix.ts';

/** A logistic fit's training problem, as a device needs it. */
export interface LogisticProblem {
  design: DesignMatrix;
  /** Class index per row. */
  y: Int32Array;
  sampleWeight: Float64Array;
  classes: number;
}

/**
 * The data term of the objective computed elsewhere (a GPU, in f32): Σ sᵢ · −log p_{yᵢ} at the
 * weights (free rows × (width + 1), intercept last, as `LogisticModel.weights`), its gradient
 * written into `grad`. No penalty: the caller adds it in f64.
 */
export interface DeviceObjective {
  evaluate(w: Float64Array, grad: Float64Array): Promise<number>;
  dispose(): void;
}

/**
 * Where the first phase of a logistic fit may run. Core defines the seam; the WebGPU engine lives
 * in src/gpu (core imports nothing from there).
 */
export interface LogisticEngine {
  /** The device, as the user sees it. */
  device: string;
  /** Uploads the problem once; its objective is evaluated many times. */
  open(problem: LogisticProblem): Promise<DeviceObjective>;
}
