// A boosting helper thread in Node (round-pool.node.ts): grows whole trees with the one-thread grower.
import { parentPort } from 'node:worker_threads';
import { cpuGrower, type TreeGrower } from '../core/models/gbdt/grower.ts';
import type { RoundHelperMessage, RoundHelperReply } from './round-pool-protocol.ts';

if (!parentPort) throw new Error('round.node-worker.ts must run in a worker thread');
const port = parentPort;
const reply = (message: RoundHelperReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
let grower: TreeGrower | undefined;
let nodeOfRow = new Int32Array(0);

port.on('message', async (message: RoundHelperMessage) => {
  try {
    if (message.type === 'matrix') {
      grower?.dispose();
      const { rows, features, bins, binCounts, params } = message;
      const names = Array.from({ length: features }, (_, f) => `f${f}`);
      grower = await cpuGrower({ rows, features, bins, binCounts, names, cutPoints: names.map(() => new Float64Array(0)) }, params);
      nodeOfRow = new Int32Array(rows);
    } else if (message.type === 'tree') {
      if (!grower) throw new Error('a tree asked for before its matrix');
      const tree = await grower.grow(message.q, message.active, message.features, nodeOfRow);
      const leaves = nodeOfRow.slice();
      reply({ type: 'tree', tree, nodeOfRow: leaves }, [leaves.buffer, ...[tree.feature, tree.splitBin, tree.defaultLeft, tree.value, tree.gain, tree.cover].map((a) => a.buffer as ArrayBuffer)]);
    } else {
      grower?.dispose();
      grower = undefined;
    }
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
reply({ type: 'ready' });
