import { z } from 'zod';
import type { ClassificationMetrics } from '../core/metrics/classification-metrics.ts';
import type { ModelKind, TrainProgress } from '../core/models/train-model.ts';

/** What the user asks for; checked at run time in the worker, since it crosses a boundary. */
export const trainRequestSchema = z
  .object({
    model: z.enum(['gbdt', 'rf', 'logistic']),
    label: z.string().min(1, 'choose a label column'),
    device: z.enum(['cpu', 'gpu']),
    /** Share of each class held out for validation. */
    validationShare: z.number().min(0.05).max(0.5),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    maxBins: z.number().int().min(2).max(256).optional(),
    params: z
      .object({
        rounds: z.number().int().min(1).max(10_000),
        trees: z.number().int().min(1).max(10_000),
        maxDepth: z.number().int().min(1).max(64),
        learningRate: z.number().gt(0).max(1),
        c: z.number().gt(0).max(1e6),
        maxIterations: z.number().int().min(1).max(10_000),
      })
      .partial()
      .strict(),
  })
  // GBDT trees are stored in heap layout (2^(depth+1) nodes each): deeper ones would not fit memory.
  .refine((r) => r.model !== 'gbdt' || (r.params.maxDepth ?? 6) <= 16, { message: 'GBDT depth is at most 16', path: ['params', 'maxDepth'] });

export type TrainRequest = z.infer<typeof trainRequestSchema>;
export type DeviceChoice = TrainRequest['device'];
export type { ModelKind };

/** One point of the loss curve: after `done` rounds / trees / iterations. */
export interface LossPoint {
  done: number;
  trainLoss?: number;
  validationLoss?: number;
}

/** A progress report, sent at most ~20 times a second; `points` holds every step since the last one. */
export interface TrainUpdate extends TrainProgress {
  points: LossPoint[];
}

export interface TrainResult {
  /** The model stays in the train worker under this id (for evaluation and export later). */
  modelId: string;
  model: ModelKind;
  label: string;
  classes: string[];
  /** "cpu", or the GPU adapter that grew the trees. */
  device: string;
  /** Why the run used another device than asked (no adapter, a model the GPU path does not train). */
  notice: string | null;
  fitSeconds: number;
  /** On the held-out validation rows. */
  metrics: ClassificationMetrics;
  unit: TrainProgress['unit'];
  history: LossPoint[];
  /** The model's whole parameter set, defaults included. */
  params: Record<string, number | string | boolean>;
  rows: { train: number; validation: number; unlabelled: number };
  validationShare: number;
  features: number;
}

/** What the GPU engine reports before any training: its adapter, or why there is none. */
export interface GpuProbe {
  adapter: string | null;
  error: string | null;
}
