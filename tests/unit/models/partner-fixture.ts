// A logistic partner's side on a worker thread (logistic-partner.test.ts): value Σw, gradient 2w;
// or, with `fail`, one that cannot serve.
import { workerData } from 'node:worker_threads';
import { failPartner, servePartner } from '../../../src/core/models/logistic/partner.ts';

const { buffer, length, fail } = workerData as { buffer: SharedArrayBuffer; length: number; fail: boolean };
if (fail) failPartner(buffer);
else
  servePartner(buffer, length, (w, grad) => {
    let sum = 0;
    for (let i = 0; i < length; i++) {
      sum += w[i]!;
      grad[i] = 2 * w[i]!;
    }
    return sum;
  });
