import { evaluateRows, quantiseShared, type SharedRows } from '../core/models/gbdt/boost-rows.ts';
import { rowKernels, type RowKernels } from '../core/models/gbdt/boost-rows-wasm.ts';
import { cpuGrower, type TreeGrower } from '../core/models/gbdt/grower.ts';
import type { Tree } from '../core/models/gbdt/types.ts';
import { freeRows, partObjective } from '../core/models/logistic/objective.ts';
import { failPartner, servePartner } from '../core/models/logistic/partner.ts';
import { precompile } from '../core/models/wasm-module.ts';
import type { RoundHelperMessage, RoundHelperReply } from './round-pool-protocol.ts';

/**
 * A boosting helper thread, whatever the platform: give it every message the thread receives; it
 * grows whole trees with the one-thread grower and answers through `reply` (transferring the tree).
 */
export function roundHelper(reply: (message: RoundHelperReply, transfer: ArrayBuffer[]) => void): (message: RoundHelperMessage) => Promise<void> {
  // Its kernels compile now, as the thread starts, not in its first tree.
  precompile('boosting', 'logistic');
  let grower: TreeGrower | undefined;
  let nodeOfRow = new Int32Array(0);
  let rows: { kernels: RowKernels; shared: SharedRows } | undefined;
  /** A tree's reply (its arrays and `leaves` moved), with when it was done and how long it took since `start`. */
  const send = (tree: Tree, leaves: Int32Array, start: number): void => {
    const done = performance.now();
    const buffers = [leaves, tree.feature, tree.splitBin, tree.defaultLeft, tree.value, tree.gain, tree.cover].map((a) => a.buffer as ArrayBuffer);
    reply({ type: 'tree', tree, nodeOfRow: leaves, doneAt: performance.timeOrigin + done, busy: done - start }, buffers);
  };
  return async (message) => {
    try {
      if (message.type === 'matrix') {
        grower?.dispose();
        const { rows, features, bins, binCounts, params } = message;
        const names = Array.from({ length: features }, (_, f) => `f${f}`);
        grower = await cpuGrower({ rows, features, bins, binCounts, names, cutPoints: names.map(() => new Float64Array(0)) }, params);
        nodeOfRow = new Int32Array(rows);
      } else if (message.type === 'rows') {
        const kernels = rowKernels(message.rows.memory);
        if (!kernels) throw new Error('this thread cannot run the boosting row kernels');
        rows = { kernels, shared: message.rows };
      } else if (message.type === 'evaluate') {
        if (!rows) throw new Error('rows to evaluate asked for before the rows');
        reply({ type: 'evaluated', loss: evaluateRows(rows.kernels, rows.shared.layout, rows.shared.classes, message.from, message.to) }, []);
      } else if (message.type === 'treeFromRows') {
        if (!grower || !rows) throw new Error('a tree from the shared rows asked for before the matrix or the rows');
        const start = performance.now();
        const input = quantiseShared(rows.kernels, rows.shared, message.c, message.j);
        // The leaves go into the shared set: none to send.
        send(await grower.grow(input.q, input.active, message.features, input.nodeOfRow), new Int32Array(0), start);
      } else if (message.type === 'logistic') {
        const { design, y, sampleWeight, classes } = message.part;
        let term: (w: Float64Array, grad: Float64Array) => number;
        try {
          term = partObjective(design, y, sampleWeight, classes);
        } catch (error) {
          failPartner(message.channel);
          throw error;
        }
        // This thread answers the fit's evaluations until it ends (the channel's stop).
        servePartner(message.channel, freeRows(classes) * (design.width + 1), term);
      } else if (message.type === 'tree') {
        if (!grower) throw new Error('a tree asked for before its matrix');
        const start = performance.now();
        const tree = await grower.grow(message.q, message.active, message.features, nodeOfRow);
        send(tree, nodeOfRow.slice(), start);
      } else {
        grower?.dispose();
        grower = undefined;
        rows = undefined;
      }
    } catch (error) {
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }, []);
    }
  };
}
