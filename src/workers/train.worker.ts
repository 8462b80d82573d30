// The train worker in the browser: TrainApi over comlink; WebGPU comes from the worker's own navigator.
import { expose } from 'comlink';
import { TrainApi } from './train-api.ts';

expose(new TrainApi({ gpu: () => navigator.gpu }));
