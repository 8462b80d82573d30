import type { TrainEngines } from '../core/models/train-model.ts';
import { openGpuDevice, type GpuDevice } from './device.ts';
import { gpuForestGrower } from './forest-grower.ts';
import { predictForestOnGpu } from './forest-predict.ts';
import { gpuGrower } from './gbdt-grower.ts';
import { gpuLogisticEngine } from './logistic-engine.ts';
import { predictGbdtOnGpu } from './predict-gbdt.ts';

export interface GpuEngines {
  engines: TrainEngines;
  /** The adapter, as the user sees it. */
  adapter: string;
  gpu: GpuDevice;
  dispose(): void;
}

/**
 * The WebGPU engines for training and prediction on `gpu` (the browser's navigator.gpu, or Dawn's
 * in Node). Throws GpuUnavailableError, with the reason, when there is no adapter.
 */
export async function gpuEngines(gpu: GPU | undefined): Promise<GpuEngines> {
  const device = await openGpuDevice(gpu);
  return {
    engines: {
      grower: gpuGrower(device),
      predictGbdt: (model, matrix) => predictGbdtOnGpu(device, model, matrix),
      forestGrower: gpuForestGrower(device),
      predictForest: (model, matrix) => predictForestOnGpu(device, model, matrix),
      logistic: gpuLogisticEngine(device),
    },
    adapter: device.adapter,
    gpu: device,
    dispose: () => device.device.destroy(),
  };
}
