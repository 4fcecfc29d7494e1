import { existsSync } from 'fs';
import { WasmKernels, counterStride, matVecXnor, newTally, wordsFor } from '../../../src/kernels';
import { wasmPath } from '../../../src/kernels/wasm/load-module';
import { randomBits, tsKernels } from './kernel-sets';

describe('WasmKernels memory and calls', () => {
  test('the assembled module is where both src/ and dist/ look for it', () => {
    WasmKernels.create(1 << 16);
    expect(existsSync(wasmPath('kernels'))).toBe(true);
  });

  test('views are aligned, zeroed, disjoint, and released by mark/release', () => {
    const k = WasmKernels.create(1 << 20);
    const free0 = k.bytesFree;
    const mark = k.mark();
    const a = k.allocWords(3);
    const b = k.allocInt8(5);
    const c = k.allocInt32(7);
    for (const v of [a, b, c]) expect(v.byteOffset % 16).toBe(0);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 12);
    expect(c.byteOffset).toBeGreaterThanOrEqual(b.byteOffset + 5);
    a.fill(0xffffffff);
    k.release(mark);
    expect(k.bytesFree).toBe(free0);
    expect(Array.from(k.allocWords(3))).toEqual([0, 0, 0]);
  });

  test('running out of memory and foreign or short views are refused, not corrupted', () => {
    const k = WasmKernels.create(1 << 16);
    expect(() => k.allocWords(1 << 16)).toThrow(/requested/);
    const W = k.allocWords(4);
    const x = k.allocWords(1);
    const out = k.allocInt32(4);
    expect(() => k.matVecXnor(new Uint32Array(4), 4, 32, x, out)).toThrow(/not a view of this kernel memory/);
    expect(() => k.matVecXnor(W, 5, 32, x, out)).toThrow(/W holds 4 elements, 5 needed/);
    expect(() => k.matVecAnd(W, 4, 32, x, k.allocInt32(3))).toThrow(/out holds 3/);
    const rule = { counterBits: 9, theta: 1, leakShift: 0 };
    expect(() => k.updateLayerCounters(W, k.allocInt8(128), 4, 32, x, x, x, x, 1, 'spin', rule, newTally())).toThrow(/counterBits/);
  });

  test('both plasticity layouts check their operands in the same order and name the short one', () => {
    const k = WasmKernels.create(1 << 16);
    const W = k.allocWords(4);
    const x = k.allocWords(1);
    const rule = { counterBits: 4, theta: 1, leakShift: 0 };
    const ctr = k.allocInt8(4 * counterStride(32));
    const planes = k.allocWords(4 * 4 * 4);
    expect(() => k.updateLayerCounters(W, ctr, 4, 32, x, x, x, x, 0, 'spin', rule, newTally())).toThrow(/betaSign/);
    expect(() => k.updateLayerSliced(W, planes, 4, 32, x, x, x, x, 0, 'spin', rule, newTally())).toThrow(/betaSign/);
    expect(() => k.updateLayerCounters(W, k.allocInt8(4), 4, 32, x, x, x, x, 1, 'spin', rule, newTally())).toThrow(/counters holds 4 elements, 128 needed/);
    expect(() => k.updateLayerSliced(W, k.allocWords(4), 4, 32, x, x, x, x, 1, 'spin', rule, newTally())).toThrow(/planes holds 4 elements, 64 needed/);
    expect(() => k.updateLayerSliced(W, planes, 4, 32, x, new Uint32Array(1), x, x, 1, 'spin', rule, newTally())).toThrow(/preFree/);
    expect(() => k.updateLayerCounters(W, ctr, 4, 32, x, x, x, new Uint32Array(1), 1, 'spin', rule, newTally())).toThrow(/postFree/);
  });

  test('a whole 300 x 1000 layer in one call matches the TypeScript kernel', () => {
    const k = WasmKernels.create(1 << 22);
    const rows = 300;
    const n = 1000;
    const nw = wordsFor(n);
    const W = k.allocWords(rows * nw);
    for (let r = 0; r < rows; r++) tsKernels.pack(randomBits(n, `big${r}`), W.subarray(r * nw, (r + 1) * nw));
    const x = k.allocWords(nw);
    tsKernels.pack(randomBits(n, 'bigx'), x);
    const out = k.allocInt32(rows);
    k.matVecXnor(W, rows, n, x, out);
    const want = new Int32Array(rows);
    matVecXnor(W, rows, n, x, want);
    expect(Array.from(out)).toEqual(Array.from(want));
    expect(k.allocInt8(rows * counterStride(n)).length).toBe(rows * 1024);
  });
});

describe('WasmKernels.streamXor', () => {
  test('is the XOR of every 64-bit word', () => {
    const k = WasmKernels.create(1 << 16);
    const v = k.allocWords(64);
    let want = 0n;
    for (let i = 0; i < 64; i++) v[i] = Math.imul(i + 1, 0x9e3779b1) >>> 0;
    for (let i = 0; i < 64; i += 2) want ^= BigInt(v[i] as number) | (BigInt(v[i + 1] as number) << 32n);
    expect(BigInt.asUintN(64, k.streamXor(v))).toBe(want);
    expect(() => k.streamXor(k.allocWords(15))).toThrow(/multiple of 16/);
  });
});
