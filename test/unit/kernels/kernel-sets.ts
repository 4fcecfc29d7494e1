/**
 * The implementations that one test suite runs over (describe.each): the TypeScript
 * kernels, the WebAssembly kernels and the naive reference oracles, behind one interface.
 */
import * as ts from '../../../src/kernels';
import * as ref from '../../../src/kernels/reference';
import { RegisterPlanes, WasmKernels, bitPlaneWords, counterMax, counterMin, counterStride, fromBitPlanes, toBitPlanes, updateRowPlanes } from '../../../src/kernels';
import type { BitEncoding, CounterRule, PlasticityTally } from '../../../src/kernels';
import { rngStream } from '../../../src/util/rng';

/** Every kernel, as one implementation provides it. */
export interface KernelSet {
  name: string;
  pack(bits: ArrayLike<number>, out?: Uint32Array): Uint32Array;
  unpack(v: Uint32Array, n: number, out?: Uint8Array): Uint8Array;
  getBit(v: Uint32Array, i: number): number;
  setBit(v: Uint32Array, i: number, b: number): void;
  popcount32(x: number): number;
  popcountVec(v: Uint32Array, off: number, nWords: number): number;
  dotXnor(a: Uint32Array, aOff: number, b: Uint32Array, bOff: number, nBits: number): number;
  dotAnd(w: Uint32Array, wOff: number, x: Uint32Array, xOff: number, nBits: number): number;
  matVecXnor(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void;
  matVecAnd(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void;
  transposeBits(W: Uint32Array, rows: number, cols: number): Uint32Array;
  plasticityMasks(
    preNudged: Uint32Array, preNudgedOff: number, preFree: Uint32Array, preFreeOff: number, nBits: number,
    postNudged: number, postFree: number, betaSign: number, encoding: BitEncoding,
    inc: Uint32Array, dec: Uint32Array, mOff: number,
  ): number;
  updateRowCounters(
    weights: Uint32Array, wOff: number, counters: Int8Array, cOff: number, nBits: number,
    inc: Uint32Array, dec: Uint32Array, mOff: number, rule: CounterRule, tally: PlasticityTally,
  ): void;
  updateLayerCounters(
    weights: Uint32Array, counters: Int8Array, rows: number, nBits: number,
    preNudged: Uint32Array, preFree: Uint32Array, postNudged: Uint32Array, postFree: Uint32Array,
    betaSign: number, encoding: BitEncoding, rule: CounterRule, inc: Uint32Array, dec: Uint32Array, tally: PlasticityTally,
  ): void;
}

export const tsKernels: KernelSet = { name: 'typescript', ...ts };

export const refKernels: KernelSet = {
  name: 'reference',
  pack: ref.refPack,
  unpack: ref.refUnpack,
  getBit: ref.refGetBit,
  setBit: ref.refSetBit,
  popcount32: ref.refPopcount32,
  popcountVec: ref.refPopcountVec,
  dotXnor: ref.refDotXnor,
  dotAnd: ref.refDotAnd,
  matVecXnor: ref.refMatVecXnor,
  matVecAnd: ref.refMatVecAnd,
  transposeBits: ref.refTransposeBits,
  plasticityMasks: ref.refPlasticityMasks,
  updateRowCounters: ref.refUpdateRowCounters,
  updateLayerCounters: ref.refUpdateLayerCounters,
};

/** The widths the random-vector tests cover (word boundaries and the MNIST/hidden sizes). */
export const RANDOM_WIDTHS = [1, 31, 32, 33, 64, 100, 784, 2048];

/** Seeded random bits (one byte per bit, 0 or 1), with P(1) = density. */
export function randomBits(n: number, seed: string, density = 0.5): Uint8Array {
  const rng = rngStream(seed, 'kernel-test-bits');
  const bits = new Uint8Array(n);
  for (let i = 0; i < n; i++) bits[i] = rng.next() < density ? 1 : 0;
  return bits;
}

/** Seeded random packed rows x nBits matrix plus its unpacked copy (row-major). */
export function randomMatrix(rows: number, nBits: number, seed: string): { packed: Uint32Array; bits: Uint8Array[] } {
  const nWords = ts.wordsFor(nBits);
  const packed = new Uint32Array(rows * nWords);
  const bits: Uint8Array[] = [];
  for (let r = 0; r < rows; r++) {
    const b = randomBits(nBits, `${seed}:row${r}`);
    bits.push(b);
    ts.pack(b, packed.subarray(r * nWords, (r + 1) * nWords));
  }
  return { packed, bits };
}

/** True when every bit at position >= n of the n-bit vector starting at v[off] is zero. */
export function tailIsZero(v: Uint32Array, off: number, nBits: number): boolean {
  const r = nBits & 31;
  if (r === 0) return true;
  const last = v[off + ts.wordsFor(nBits) - 1] as number;
  return last >>> r === 0;
}

/** Independent expectation of the spin dot product from unpacked bits. */
export function expectedXnor(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] === b[i] ? 1 : -1);
  return s;
}

/** Independent expectation of the {0,1} x +-1 dot product from unpacked bits. */
export function expectedAnd(w: ArrayLike<number>, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) if (x[i] === 1) s += w[i] === 1 ? 1 : -1;
  return s;
}

/** One shared WebAssembly instance for the tests (16 MiB). */
export const wasm = WasmKernels.create(16 * 1024 * 1024);

/** Copy `src` into a fresh view of the WebAssembly memory. */
function inWasm<T extends Uint32Array | Int32Array | Int8Array>(src: T): T {
  const v = (src instanceof Uint32Array ? wasm.allocWords(src.length) : src instanceof Int32Array ? wasm.allocInt32(src.length) : wasm.allocInt8(src.length)) as T;
  v.set(src as never);
  return v;
}

/** A mat-vec of the TypeScript interface run by the WebAssembly kernel of the same name on copies of its operands. */
function matVecInWasm(kernel: 'matVecXnor' | 'matVecAnd'): KernelSet['matVecXnor'] {
  return (W, rows, nBits, x, out) => {
    const m = wasm.mark();
    const o = wasm.allocInt32(out.length);
    wasm[kernel](inWasm(W), rows, nBits, inWasm(x), o);
    out.set(o);
    wasm.release(m);
  };
}

/**
 * The WebAssembly build behind the same interface: the layer kernels copy their operands
 * into kernel memory, run, and copy results back; the rest is the TypeScript build.
 */
export const wasmKernels: KernelSet = {
  ...tsKernels,
  name: 'wasm',
  matVecXnor: matVecInWasm('matVecXnor'),
  matVecAnd: matVecInWasm('matVecAnd'),
  updateLayerCounters(weights, counters, rows, nBits, preNudged, preFree, postNudged, postFree, betaSign, encoding, rule, _inc, _dec, tally) {
    const m = wasm.mark();
    const w = inWasm(weights);
    const c = inWasm(counters);
    wasm.updateLayerCounters(w, c, rows, nBits, inWasm(preNudged), inWasm(preFree), inWasm(postNudged), inWasm(postFree), betaSign, encoding, rule, tally);
    weights.set(w);
    counters.set(c);
    wasm.release(m);
  },
};

/**
 * The WebAssembly bit-sliced counters behind the same interface: counters are converted
 * to bit-planes in kernel memory, updated, and converted back.
 */
export const slicedKernels: KernelSet = {
  ...wasmKernels,
  name: 'wasm bit-sliced',
  updateLayerCounters(weights, counters, rows, nBits, preNudged, preFree, postNudged, postFree, betaSign, encoding, rule, _inc, _dec, tally) {
    const m = wasm.mark();
    const w = inWasm(weights);
    const planes = toBitPlanes(counters, rows, nBits, rule.counterBits, wasm.allocWords(bitPlaneWords(rows, nBits, rule.counterBits)));
    wasm.updateLayerSliced(w, planes, rows, nBits, inWasm(preNudged), inWasm(preFree), inWasm(postNudged), inWasm(postFree), betaSign, encoding, rule, tally);
    weights.set(w);
    fromBitPlanes(planes, rows, nBits, rule.counterBits, counters);
    wasm.release(m);
  },
};

/** The counter rule as the bit-sliced row kernel takes it. */
function planeRule(rule: CounterRule): ts.PlaneRule {
  return { bits: rule.counterBits, hi: counterMax(rule.counterBits), lo: counterMin(rule.counterBits), theta: rule.theta, leakShift: rule.leakShift, flipOnChangeOnly: false };
}

/** Run updateRowPlanes on the `rows` rows of byte-per-counter counters, converted to RegisterPlanes and back. */
function rowsInPlanes(
  counters: Int8Array, cOff: number, rows: number, nBits: number, rule: CounterRule,
  update: (planes: RegisterPlanes, r: number, pr: ts.PlaneRule) => void,
): void {
  ts.checkCounterRule(rule);
  const stride = counterStride(nBits);
  const planes = new RegisterPlanes(rows, nBits, rule.counterBits);
  for (let r = 0; r < rows; r++) for (let j = 0; j < nBits; j++) planes.set(r, j, counters[cOff + r * stride + j] as number);
  const pr = planeRule(rule);
  for (let r = 0; r < rows; r++) update(planes, r, pr);
  for (let r = 0; r < rows; r++) for (let j = 0; j < nBits; j++) counters[cOff + r * stride + j] = planes.get(r, j);
}

/**
 * The TypeScript bit-sliced row kernel (the one the engines run, src/kernels/plane-update.ts)
 * behind the byte-per-counter interface: counters are converted to RegisterPlanes, updated
 * by updateRowPlanes, and converted back.
 */
export const planesKernels: KernelSet = {
  ...tsKernels,
  name: 'typescript bit-sliced',
  updateRowCounters(weights, wOff, counters, cOff, nBits, inc, dec, mOff, rule, tally) {
    rowsInPlanes(counters, cOff, 1, nBits, rule, (pl, r, pr) => updateRowPlanes(weights, wOff, pl.words, pl.rowOffset(r), pl.planeStride, nBits, inc, dec, mOff, pr, tally, null));
  },
  updateLayerCounters(weights, counters, rows, nBits, preNudged, preFree, postNudged, postFree, betaSign, encoding, rule, inc, dec, tally) {
    const nWords = ts.wordsFor(nBits);
    rowsInPlanes(counters, 0, rows, nBits, rule, (pl, r, pr) => {
      ts.plasticityMasks(preNudged, 0, preFree, 0, nBits, ts.getBit(postNudged, r), ts.getBit(postFree, r), betaSign, encoding, inc, dec, 0);
      updateRowPlanes(weights, r * nWords, pl.words, pl.rowOffset(r), pl.planeStride, nBits, inc, dec, 0, pr, tally, null);
    });
  },
};
