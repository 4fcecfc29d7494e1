/**
 * The WebAssembly build of the layer kernels (src/kernels/wasm/kernels.wat, sliced.wat), with the
 * same layouts and results as the TypeScript kernels. Operands live in the module's
 * one linear memory, sized once at creation (growing it would detach every view):
 * callers allocate weights, inputs, outputs and counters there as typed-array views,
 * fill them, and run a whole layer per call (a JS -> WebAssembly call costs ~5 ns,
 * so calls are per layer, never per row).
 */
import { bitPlaneWords } from '../bit-planes';
import { checkCounterRule, counterStride } from '../counter-rule';
import type { BitEncoding, CounterRule, PlasticityTally } from '../counter-rule';
import { loadWasmModule } from './load-module';
import { WASM_PAGE_BYTES, webAssembly } from './wasm-api';
import type { WasmMemory } from './wasm-api';

type MatVecFn = (w: number, rows: number, nBits: number, x: number, out: number) => void;
type SlicedFn = (
  wt: number, planes: number, rows: number, nBits: number, xb: number, x0: number, postB: number, post0: number,
  betaPos: number, spin: number, counterBits: number, theta: number, leak: number, scratch: number, tally: number,
) => void;
type StreamFn = (p: number, nBytes: number) => bigint;
type PlasticityFn = (
  wt: number, ctr: number, rows: number, nBits: number, xb: number, x0: number, postB: number, post0: number,
  betaPos: number, spin: number, counterBits: number, theta: number, leak: number, tally: number,
) => void;

/** Bytes at the bottom of memory reserved for call results (the plasticity tally at 0) and kernel scratch (at SCRATCH_AT). */
const SCRATCH_BYTES = 512;
/** Byte address of the 256-byte scratch area of the bit-sliced leak. */
const SCRATCH_AT = 16;
/** Allocation alignment in bytes: v128 lanes and i64 loads stay aligned. */
const ALIGN = 16;

function checkBetaSign(betaSign: number): void {
  if (betaSign !== 1 && betaSign !== -1) throw new RangeError(`WasmKernels: betaSign must be +1 or -1, got ${betaSign}`);
}

/** Default memory size: 64 MiB holds a 4096 x 4096 weight matrix with 8 counter bits per synapse. */
export const DEFAULT_WASM_MEMORY_BYTES = 64 * 1024 * 1024;

/** WebAssembly kernels over one fixed-size memory with a bump allocator for operand views. */
export class WasmKernels {
  private readonly memory: WasmMemory;
  private readonly matvecXnorFn: MatVecFn;
  private readonly matvecAndFn: MatVecFn;
  private readonly plasticityFn: PlasticityFn;
  private readonly streamFn: StreamFn;
  private readonly slicedFn: SlicedFn;
  private readonly tallyView: Int32Array;
  private top = SCRATCH_BYTES;

  /** Instantiate the kernels synchronously with a memory of at least `memoryBytes` bytes. */
  static create(memoryBytes: number = DEFAULT_WASM_MEMORY_BYTES): WasmKernels {
    const pages = Math.max(1, Math.ceil(memoryBytes / WASM_PAGE_BYTES));
    if (pages > 65536) throw new RangeError(`WasmKernels: ${memoryBytes} bytes exceed the 4 GiB of a 32-bit WebAssembly memory`);
    const memory = new webAssembly.Memory({ initial: pages, maximum: pages });
    const kernels = new webAssembly.Instance(loadWasmModule('kernels'), { env: { memory } });
    const sliced = new webAssembly.Instance(loadWasmModule('sliced'), { env: { memory } });
    return new WasmKernels(memory, { ...kernels.exports, ...sliced.exports });
  }

  private constructor(memory: WasmMemory, exports: Record<string, unknown>) {
    this.memory = memory;
    this.matvecXnorFn = exports['matvec_xnor'] as MatVecFn;
    this.matvecAndFn = exports['matvec_and'] as MatVecFn;
    this.plasticityFn = exports['plasticity_layer'] as PlasticityFn;
    this.streamFn = exports['stream_xor'] as StreamFn;
    this.slicedFn = exports['plasticity_sliced'] as SlicedFn;
    this.tallyView = new Int32Array(memory.buffer, 0, 3);
  }

  /** Total bytes of the memory. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes not yet allocated. */
  get bytesFree(): number {
    return this.memory.buffer.byteLength - this.top;
  }

  private take(bytes: number): number {
    const at = this.top;
    const end = at + Math.ceil(bytes / ALIGN) * ALIGN;
    if (end > this.memory.buffer.byteLength) {
      throw new RangeError(`WasmKernels: ${bytes} bytes requested, ${this.bytesFree} free of ${this.memoryBytes}; create with more memory`);
    }
    this.top = end;
    return at;
  }

  /** A zeroed view of `n` 32-bit words in the kernel memory (packed bits). */
  allocWords(n: number): Uint32Array {
    const v = new Uint32Array(this.memory.buffer, this.take(4 * n), n);
    v.fill(0);
    return v;
  }

  /** A zeroed view of `n` signed 32-bit integers in the kernel memory (mat-vec outputs). */
  allocInt32(n: number): Int32Array {
    const v = new Int32Array(this.memory.buffer, this.take(4 * n), n);
    v.fill(0);
    return v;
  }

  /** A zeroed view of `n` signed bytes in the kernel memory (plasticity counters). */
  allocInt8(n: number): Int8Array {
    const v = new Int8Array(this.memory.buffer, this.take(n), n);
    v.fill(0);
    return v;
  }

  /** The allocation mark, to give back everything allocated after it with `release`. */
  mark(): number {
    return this.top;
  }

  /** Free every view allocated since `mark` (views made after it must no longer be used). */
  release(mark: number): void {
    if (mark < SCRATCH_BYTES || mark > this.top) throw new RangeError(`WasmKernels: bad mark ${mark}`);
    this.top = mark;
  }

  private address(v: Uint32Array | Int32Array | Int8Array, need: number, what: string): number {
    if (v.buffer !== this.memory.buffer) throw new RangeError(`WasmKernels: ${what} is not a view of this kernel memory (allocate it with alloc*)`);
    if (v.length < need) throw new RangeError(`WasmKernels: ${what} holds ${v.length} elements, ${need} needed`);
    return v.byteOffset;
  }

  // matVecXnor and matVecAnd stay two direct calls: one shared method calling the export
  // through a variable measured ~6% (~10 ns) more per small-layer call.
  /** Spin (XNOR-popcount) product of the whole layer: out[r] = nBits - 2 * popcount(W_r XOR x). */
  matVecXnor(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void {
    const nWords = (nBits + 31) >>> 5;
    this.matvecXnorFn(
      this.address(W, rows * nWords, 'W'), rows, nBits, this.address(x, nWords, 'x'), this.address(out, rows, 'out'),
    );
  }

  /** {0,1}-activation (AND-popcount) product of the whole layer: out[r] = 2 * popcount(W_r AND x) - popcount(x). */
  matVecAnd(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void {
    const nWords = (nBits + 31) >>> 5;
    this.matvecAndFn(
      this.address(W, rows * nWords, 'W'), rows, nBits, this.address(x, nWords, 'x'), this.address(out, rows, 'out'),
    );
  }

  /**
   * One EP plasticity step on the whole layer, as updateLayerCounters of the TypeScript
   * kernels (counter rows of counterStride(nBits) bytes); adds its event counts to `tally`.
   */
  updateLayerCounters(
    weights: Uint32Array,
    counters: Int8Array,
    rows: number,
    nBits: number,
    preNudged: Uint32Array,
    preFree: Uint32Array,
    postNudged: Uint32Array,
    postFree: Uint32Array,
    betaSign: number,
    encoding: BitEncoding,
    rule: CounterRule,
    tally: PlasticityTally,
  ): void {
    checkCounterRule(rule);
    const need = rows * counterStride(nBits);
    this.plasticityStep(false, weights, counters, need, rows, nBits, preNudged, preFree, postNudged, postFree, betaSign, encoding, rule, tally);
  }

  /**
   * The same plasticity step on bit-sliced counters (layout of src/kernels/bit-planes.ts,
   * bitPlaneWords(rows, nBits, counterBits) words: a RegisterPlanes whose words are a view of
   * this memory), 128 synapses per SIMD step. Results, clipped updates included, equal the
   * engines' TypeScript row update (updateRowPlanes) on the same planes.
   */
  updateLayerSliced(
    weights: Uint32Array,
    planes: Uint32Array,
    rows: number,
    nBits: number,
    preNudged: Uint32Array,
    preFree: Uint32Array,
    postNudged: Uint32Array,
    postFree: Uint32Array,
    betaSign: number,
    encoding: BitEncoding,
    rule: CounterRule,
    tally: PlasticityTally,
  ): void {
    checkCounterRule(rule);
    const need = bitPlaneWords(rows, nBits, rule.counterBits);
    this.plasticityStep(true, weights, planes, need, rows, nBits, preNudged, preFree, postNudged, postFree, betaSign, encoding, rule, tally);
  }

  /**
   * Checks the operands of either plasticity layout (`registers`: byte-per-counter rows or
   * bit planes, `registerCount` elements), runs the matching kernel, and adds the tally
   * the kernel left at address 0.
   */
  private plasticityStep(
    sliced: boolean,
    weights: Uint32Array,
    registers: Int8Array | Uint32Array,
    registerCount: number,
    rows: number,
    nBits: number,
    preNudged: Uint32Array,
    preFree: Uint32Array,
    postNudged: Uint32Array,
    postFree: Uint32Array,
    betaSign: number,
    encoding: BitEncoding,
    rule: CounterRule,
    tally: PlasticityTally,
  ): void {
    checkBetaSign(betaSign);
    const nWords = (nBits + 31) >>> 5;
    const postWords = (rows + 31) >>> 5;
    const w = this.address(weights, rows * nWords, 'weights');
    const reg = this.address(registers, registerCount, sliced ? 'planes' : 'counters');
    const xb = this.address(preNudged, nWords, 'preNudged');
    const x0 = this.address(preFree, nWords, 'preFree');
    const postB = this.address(postNudged, postWords, 'postNudged');
    const post0 = this.address(postFree, postWords, 'postFree');
    const betaPos = betaSign > 0 ? 1 : 0;
    const spin = encoding === 'spin' ? 1 : 0;
    const { counterBits, theta, leakShift } = rule;
    if (sliced) this.slicedFn(w, reg, rows, nBits, xb, x0, postB, post0, betaPos, spin, counterBits, theta, leakShift, SCRATCH_AT, 0);
    else this.plasticityFn(w, reg, rows, nBits, xb, x0, postB, post0, betaPos, spin, counterBits, theta, leakShift, 0);
    tally.countersChanged += this.tallyView[0] as number;
    tally.weightsFlipped += this.tallyView[1] as number;
    // The bit-sliced kernel also counts clipped updates; the byte-per-counter one does not.
    if (sliced) tally.countersSaturated += this.tallyView[2] as number;
  }

  /**
   * XOR of all 64-bit words of `v` (length a multiple of 16 words): a pure read of the
   * memory, whose throughput is the bandwidth the mat-vec benchmarks compare against.
   */
  streamXor(v: Uint32Array): bigint {
    if ((v.length & 15) !== 0) throw new RangeError(`WasmKernels: streamXor needs a multiple of 16 words, got ${v.length}`);
    return this.streamFn(this.address(v, v.length, 'v'), v.length * 4);
  }
}
