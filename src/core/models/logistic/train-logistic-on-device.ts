import type { LogisticEngine } from './engine.ts';
import { minimiseLbfgs, minimiseLbfgsAsync, type LbfgsResult } from './lbfgs.ts';
import { freeRows } from './objective.ts';
import { prepareLogisticFit, type TrainLogisticOptions } from './train-logistic.ts';
import type { LogisticModel } from './types.ts';

/**
 * f32 resolves the objective to ~1e−7 of itself: the device phase stops once an iteration gains
 * less than this share (or its line search finds nothing better).
 */
const DEVICE_DECREASE = 1e-6;

/**
 * A logistic fit whose first phase runs on a device (a GPU, f32): L-BFGS on the device's objective
 * (its data term, plus the penalty in f64 here) until f32 stops resolving progress, then L-BFGS on
 * the CPU's f64 objective from there, to the same stopping test as `trainLogistic`. The CPU phase
 * starts with the device phase's correction pairs (f32 curvature, but near enough: it halves the
 * CPU iterations left, e.g. 91 → 43 on NSL-KDD). The objective is strictly convex, so both paths end within the gradient
 * tolerance of the one optimum: the same predictions to ~1e−6. A device failure is not fatal:
 * the CPU phase then starts from W = 0, which is `trainLogistic` exactly, and `device` says why.
 */
export async function trainLogisticOnDevice(options: TrainLogisticOptions, engine: LogisticEngine): Promise<{ model: LogisticModel; device: string }> {
  const fit = prepareLogisticFit(options);
  const { c } = fit.params;
  const stride = options.design.width + 1;
  const free = freeRows(fit.K);
  let phase: LbfgsResult | undefined;
  let device = engine.device;
  try {
    const objective = await engine.open({ design: options.design, y: options.y, sampleWeight: fit.sampleWeight, classes: fit.K });
    try {
      phase = await minimiseLbfgsAsync(
        async (w, grad) => {
          let value = await objective.evaluate(w, grad);
          let penalty = 0;
          for (let r = 0; r < free; r++) {
            for (let j = 0; j < stride - 1; j++) {
              const v = w[r * stride + j]!;
              penalty += v * v;
              grad[r * stride + j]! += v / c;
            }
          }
          value += (0.5 * penalty) / c;
          return value;
        },
        fit.w0,
        { ...fit.lbfgsOptions(), relativeDecrease: Math.max(DEVICE_DECREASE, fit.params.relativeDecrease) },
      );
    } finally {
      objective.dispose();
    }
  } catch (err) {
    options.signal?.throwIfAborted();
    device = `${engine.device}; finished on cpu (${(err as Error).message || 'device error'})`;
    phase = undefined;
  }
  const iterations = phase?.iterations ?? 0;
  const result = minimiseLbfgs(fit.objective, phase?.x ?? fit.w0, { ...fit.lbfgsOptions(iterations), pairs: phase?.pairs });
  return { model: fit.model(result, iterations + result.iterations, (phase?.evaluations ?? 0) + result.evaluations), device };
}
