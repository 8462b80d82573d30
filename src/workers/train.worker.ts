// The train worker in the browser: TrainApi over comlink; WebGPU comes from the worker's own navigator.
import { expose } from 'comlink';
import { parallelForestGrower } from './forest-pool.browser.ts';
import { parallelCpuGrower } from './histogram-pool.browser.ts';
import { TrainApi } from './train-api.ts';

// Several threads need shared memory, which a cross-origin isolated page has; otherwise one thread.
const pool = globalThis.crossOriginIsolated ? parallelCpuGrower() : undefined;
const forestPool = globalThis.crossOriginIsolated ? parallelForestGrower() : undefined;
expose(new TrainApi({ gpu: () => navigator.gpu, cpuGrower: pool && (() => pool), forestGrower: forestPool && (() => forestPool) }));
