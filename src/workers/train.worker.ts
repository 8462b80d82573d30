// The train worker in the browser: TrainApi over comlink; WebGPU comes from the worker's own navigator.
import { expose } from 'comlink';
import { parallelForestGrower } from './forest-pool.browser.ts';
import { TrainApi } from './train-api.ts';

// Forests grow on several threads, which need shared memory: a cross-origin isolated page has it;
// otherwise one thread. Boosting runs on one thread with its WebAssembly loops, which measured as
// fast as the feature-split histogram pool on two (docs/decisions.md, CPU threads).
const forestPool = globalThis.crossOriginIsolated ? parallelForestGrower() : undefined;
expose(new TrainApi({ gpu: () => navigator.gpu, forestGrower: forestPool && (() => forestPool) }));
