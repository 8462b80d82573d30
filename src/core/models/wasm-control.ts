import { op, uleb } from './wasm-module.ts';

/**
 * Structured control flow with named labels for the hand-written WebAssembly kernels, so a branch
 * names the block or loop it leaves or repeats instead of a hand-counted depth. Instructions are
 * byte arrays (or arrays of them); `emit` resolves the labels.
 */
export type Instr = (number | number[])[];
export type Code = Instr | Nested | Branch;
interface Nested {
  kind: 'block' | 'loop' | 'if';
  label: string;
  body: Code[];
  alt?: Code[];
}
interface Branch {
  kind: 'br' | 'brIf';
  label: string;
}

export const block = (label: string, ...body: Code[]): Nested => ({ kind: 'block', label, body });
export const loop = (label: string, ...body: Code[]): Nested => ({ kind: 'loop', label, body });
/** `if` on the i32 on the stack, with an optional `else`. */
export const ifElse = (label: string, body: Code[], alt?: Code[]): Nested => ({ kind: 'if', label, body, alt });
export const br = (label: string): Branch => ({ kind: 'br', label });
export const brIf = (label: string): Branch => ({ kind: 'brIf', label });

const isBranch = (c: Nested | Branch): c is Branch => c.kind === 'br' || c.kind === 'brIf';
const ELSE = 0x05;

/** The bytes of `code`, labels resolved to depths. */
export function emit(code: Code[], labels: string[] = []): number[] {
  const out: number[] = [];
  for (const c of code) {
    if (Array.isArray(c)) {
      for (const e of c) {
        if (Array.isArray(e)) out.push(...e);
        else out.push(e);
      }
    } else if (isBranch(c)) {
      const depth = labels.indexOf(c.label);
      if (depth < 0) throw new Error(`no label ${c.label}`);
      out.push(c.kind === 'br' ? 0x0c : 0x0d, ...uleb(depth));
    } else {
      const inner = [c.label, ...labels];
      out.push(...(c.kind === 'block' ? op.block : c.kind === 'loop' ? op.loop : op.if), ...emit(c.body, inner));
      if (c.alt) out.push(ELSE, ...emit(c.alt, inner));
      out.push(...op.end);
    }
  }
  return out;
}

/**
 * for (i = from; i < end; i += step) { body }, unsigned compare; `from` and `end` leave an i32 on
 * the stack. The body may leave early with br(`${label}-end`) or go on with br(label) after its
 * own step.
 */
export function forLoop(label: string, i: number, from: number[][], end: number[][], body: Code[], step = 1): Code[] {
  return [
    [...from, op.set(i)],
    block(`${label}-end`, loop(label, [op.get(i), ...end, op.i32GeU], brIf(`${label}-end`), ...body, [op.get(i), op.i32(step), op.i32Add, op.set(i)], br(label))),
  ];
}
