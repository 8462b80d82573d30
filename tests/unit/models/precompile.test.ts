import { describe, expect, it } from 'vitest';
import { compileOnce, I32, op, precompile, wasmModule } from '../../../src/core/models/wasm-module.ts';

describe('precompile', () => {
  it('compiles the modules registered for a use, once, and no others', () => {
    const built: string[] = [];
    const module = (name: string) => () => {
      built.push(name);
      return wasmModule([{ name, params: [I32], results: [I32], locals: [], body: [op.get(0)] }]);
    };
    const forForest = compileOnce(module('forest'), ['forest']);
    const forBoth = compileOnce(module('both'), ['binning', 'boosting']);
    precompile('boosting');
    expect(built).toEqual(['both']);
    expect(forBoth()).toBeInstanceOf(WebAssembly.Module);
    expect(built).toEqual(['both']);
    expect(forForest()).toBeInstanceOf(WebAssembly.Module);
    precompile('forest', 'binning');
    expect(built).toEqual(['both', 'forest']);
  });
});
