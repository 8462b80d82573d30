import type { DesignColumn } from '../core/models/logistic/design-matrix.ts';
import type { LogisticProblem } from '../core/models/logistic/engine.ts';
import { freeRows } from '../core/models/logistic/objective.ts';
import { PartnerChannel, type LogisticPartnerFactory } from '../core/models/logistic/partner.ts';
import type { RoundHelperMessage } from './round-pool-protocol.ts';
import { canShareMemory } from './share-memory.ts';

/**
 * The fewest values (rows × free class rows × (width + 1)) in a logistic fit's second part that
 * go to a partner thread: below it the part's hand-over and the helper's cold code cost more than
 * the shared evaluations save (phishing's 2,340 rows × 31: 73k, one thread; CIC-IDS's
 * 2,525 × 7 × 78: 1.4M, two).
 */
export const LOGISTIC_PART_MIN = 500_000;

/** What the partner needs of a round-pool helper thread. */
export interface PartnerHost {
  readonly failed: boolean;
  post(message: RoundHelperMessage, transfer: ArrayBuffer[]): void;
}

/**
 * Logistic fits' partners on the round pool's first helper (`firstHelper`: undefined when the
 * helpers would not start): the part goes once (copies of its arrays, moved) with the channel its
 * evaluations go through (PartnerChannel), which the helper serves until the fit disposes of it.
 */
export function roundPoolPartners(threads: number, firstHelper: () => Promise<PartnerHost | undefined>, partMin = LOGISTIC_PART_MIN): LogisticPartnerFactory {
  return async (part) => {
    const length = freeRows(part.classes) * (part.design.width + 1);
    if (threads === 1 || part.design.rows * length < partMin || !canShareMemory()) return undefined;
    const helper = await firstHelper();
    if (!helper) return undefined;
    const channel = new PartnerChannel(length);
    helper.post(...partMessage(part, channel.buffer));
    if (await channel.serving(() => helper.failed)) return channel;
    channel.stop();
    return undefined;
  };
}

/** The part's message: copies of its arrays, to be moved (views would send their whole buffers). */
function partMessage(part: LogisticProblem, channel: SharedArrayBuffer): [RoundHelperMessage, ArrayBuffer[]] {
  const columns = part.design.columns.map((c): DesignColumn => (c.kind === 'dense' ? { kind: 'dense', values: c.values.slice() } : { ...c, rows: c.rows.slice(), values: c.values.slice(), blockStarts: c.blockStarts.slice() }));
  const design = { ...part.design, columns, hot: part.design.hot.slice() };
  const [y, sampleWeight] = [part.y.slice(), part.sampleWeight.slice()];
  const buffers = [...columns.flatMap((c) => (c.kind === 'dense' ? [c.values.buffer] : [c.rows.buffer, c.values.buffer, c.blockStarts.buffer])), design.hot.buffer, y.buffer, sampleWeight.buffer];
  return [{ type: 'logistic', part: { design, y, sampleWeight, classes: part.classes }, channel }, buffers as ArrayBuffer[]];
}
