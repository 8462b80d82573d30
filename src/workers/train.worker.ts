// The train worker in the browser: TrainApi over comlink; WebGPU comes from the worker's own navigator.
import { expose } from 'comlink';
import { parallelForestGrower } from './forest-pool.browser.ts';
import { parallelRoundGrower } from './round-pool.browser.ts';
import { TrainApi } from './train-api.ts';

// Forests grow on several threads, which need shared memory: a cross-origin isolated page has it;
// otherwise one thread. A softmax round's trees (one per class) grow on every core, by messages
// (no shared memory needed); a binary round's one tree grows here, its loops in WebAssembly.
const forestPool = globalThis.crossOriginIsolated ? parallelForestGrower() : undefined;
const roundPool = parallelRoundGrower();
expose(new TrainApi({ gpu: () => navigator.gpu, forestGrower: forestPool && (() => forestPool), roundGrower: () => roundPool }));
