/**
 * Benchmark: binary mat-vec on a 4096 x 4096-bit matrix (2 MiB of packed weights).
 * Compares, in one process and on the same data: the WebAssembly kernels, the
 * TypeScript kernels, the naive per-bit reference, a Float32Array mat-vec of the same
 * logical size, and the read bandwidth of the same bytes (WebAssembly v128 stream,
 * and TypedArray.set copy). Two regimes: one matrix used again and again (it stays
 * in the L2/L3 caches), and a ring of 64 such matrices (128 MiB, past the caches)
 * used in turn, so weights stream from DRAM as a large layer's would.
 * One bit-MAC = one binary synapse (XNOR/AND + its share of the popcount).
 * Run with `npm run bench` (which builds dist/ first).
 */
import { WasmKernels, matVecAnd, matVecXnor, transposeBitsInto } from '../../src/kernels';
import { refMatVecXnor } from '../../src/kernels/reference';
import { fillWords, printTable, secondsPerCall, si } from './bench-util';

const ROWS = 4096;
const N_BITS = 4096;
const WORDS = N_BITS >>> 5;
const WEIGHT_BYTES = ROWS * WORDS * 4;
const MACS = ROWS * N_BITS;

const RING = 64;
const k = WasmKernels.create((2 * RING + 8) * 1024 * 1024);
const W = k.allocWords(ROWS * WORDS);
const x = k.allocWords(WORDS);
const out = k.allocInt32(ROWS);
fillWords(W, 'W');
fillWords(x, 'x');
const tsOut = new Int32Array(ROWS);

// Same answers before timing anything.
k.matVecXnor(W, ROWS, N_BITS, x, out);
matVecXnor(W, ROWS, N_BITS, x, tsOut);
if (out.join() !== tsOut.join()) throw new Error('WebAssembly and TypeScript mat-vec disagree');
k.matVecAnd(W, ROWS, N_BITS, x, out);
matVecAnd(W, ROWS, N_BITS, x, tsOut);
if (out.join() !== tsOut.join()) throw new Error('WebAssembly and TypeScript AND mat-vec disagree');

let sink = 0n;
const tStream = secondsPerCall(() => { sink ^= k.streamXor(W); }, 50);
const copyDst = new Uint32Array(W.length);
const tCopy = secondsPerCall(() => copyDst.set(W), 50);
const tWasmX = secondsPerCall(() => k.matVecXnor(W, ROWS, N_BITS, x, out), 50);
const tWasmA = secondsPerCall(() => k.matVecAnd(W, ROWS, N_BITS, x, out), 50);
const tTsX = secondsPerCall(() => matVecXnor(W, ROWS, N_BITS, x, tsOut), 4);
const tTsA = secondsPerCall(() => matVecAnd(W, ROWS, N_BITS, x, tsOut), 4);
// The reference is ~1000x slower: time 8 rows and scale to the whole matrix.
const REF_ROWS = 8;
const refOut = new Int32Array(REF_ROWS);
const tRef = (secondsPerCall(() => refMatVecXnor(W, REF_ROWS, N_BITS, x, refOut), 1, 1) * ROWS) / REF_ROWS;
// Float32Array mat-vec of the same logical size (4096 x 4096 MACs, 64 MiB of weights).
const Wf = new Float32Array(ROWS * N_BITS);
const xf = new Float32Array(N_BITS);
for (let i = 0; i < Wf.length; i++) Wf[i] = (i * 7919) % 3 - 1;
for (let i = 0; i < N_BITS; i++) xf[i] = (i & 1) * 2 - 1;
const yf = new Float32Array(ROWS);
function floatMatVec(): void {
  for (let r = 0; r < ROWS; r++) {
    let s = 0;
    const base = r * N_BITS;
    for (let c = 0; c < N_BITS; c++) s += (Wf[base + c] as number) * (xf[c] as number);
    yf[r] = s;
  }
}
const tFloat = secondsPerCall(floatMatVec, 1, 2);

const bandwidth = WEIGHT_BYTES / tStream;
function row(name: string, t: number, bytes: number, macs: boolean): string[] {
  return [
    name,
    (t * 1e3).toFixed(3),
    macs ? `${si(MACS / t)}MAC/s` : '',
    `${(bytes / t / 1e9).toFixed(2)}`,
    `${((bytes / t / bandwidth) * 100).toFixed(0)}%`,
    macs ? `${(tRef / t).toFixed(0)}x` : '',
    macs ? `${(tFloat / t).toFixed(1)}x` : '',
  ];
}
console.log(`binary mat-vec ${ROWS} x ${N_BITS} bits (${WEIGHT_BYTES / 2 ** 20} MiB packed weights), CPU time per call (best batch), node ${process.version}`);
printTable(
  ['kernel', 'ms/call', 'rate', 'GB/s', 'of stream bw', 'vs reference', 'vs Float32'],
  [
    row('wasm stream read (v128 xor)', tStream, WEIGHT_BYTES, false),
    row('TypedArray.set copy (read+write)', tCopy, 2 * WEIGHT_BYTES, false),
    row('wasm matVecXnor (i64.popcnt)', tWasmX, WEIGHT_BYTES, true),
    row('wasm matVecAnd (i64.popcnt)', tWasmA, WEIGHT_BYTES, true),
    row('ts matVecXnor (SWAR popcount)', tTsX, WEIGHT_BYTES, true),
    row('ts matVecAnd (SWAR popcount)', tTsA, WEIGHT_BYTES, true),
    row('reference (per bit)', tRef, WEIGHT_BYTES, true),
    row('Float32Array mat-vec (MAC/s)', tFloat, WEIGHT_BYTES * 32, true),
  ],
);
console.log(`in cache, wasm matVecXnor reaches ${((WEIGHT_BYTES / tWasmX / bandwidth) * 100).toFixed(0)}% of the measured stream bandwidth (goal >= 70%); wasm/ts = ${(tTsX / tWasmX).toFixed(1)}x`);

// The transposed copy for the backward term (32 x 32 block transpose).
const transposed = new Uint32Array(W.length);
const tTranspose = secondsPerCall(() => transposeBitsInto(W, ROWS, N_BITS, transposed), 4);
console.log(`\nts transposeBitsInto ${ROWS} x ${N_BITS}: ${(tTranspose * 1e3).toFixed(2)} ms (${((tTranspose / MACS) * 1e9).toFixed(3)} ns per bit)`);

// Past the caches: the same kernels over a ring of RING distinct matrices.
const ring = k.allocWords(RING * ROWS * WORDS);
for (let m = 0; m < RING; m++) ring.set(W, m * ROWS * WORDS);
const mats: Uint32Array[] = [];
for (let m = 0; m < RING; m++) mats.push(ring.subarray(m * ROWS * WORDS, (m + 1) * ROWS * WORDS));
let next = 0;
const nextMat = (): Uint32Array => mats[(next = (next + 1) % RING)] as Uint32Array;
const tRingStream = secondsPerCall(() => { sink ^= k.streamXor(nextMat()); }, RING);
const tRingWasm = secondsPerCall(() => k.matVecXnor(nextMat(), ROWS, N_BITS, x, out), RING);
const tRingWasmA = secondsPerCall(() => k.matVecAnd(nextMat(), ROWS, N_BITS, x, out), RING);
const tRingTs = secondsPerCall(() => matVecXnor(nextMat(), ROWS, N_BITS, x, tsOut), RING >> 2);
const ringBw = WEIGHT_BYTES / tRingStream;
const ringRow = (name: string, t: number, macs = true): string[] => [
  name,
  (t * 1e3).toFixed(3),
  macs ? `${si(MACS / t)}MAC/s` : '',
  (WEIGHT_BYTES / t / 1e9).toFixed(2),
  `${((WEIGHT_BYTES / t / ringBw) * 100).toFixed(0)}%`,
];
console.log(`\nsame kernels over a ring of ${RING} matrices (${(RING * WEIGHT_BYTES) / 2 ** 20} MiB, weights stream from DRAM)`);
printTable(
  ['kernel', 'ms/call', 'rate', 'GB/s', 'of stream bw'],
  [
    ringRow('wasm stream read (v128 xor)', tRingStream, false),
    ringRow('wasm matVecXnor (i64.popcnt)', tRingWasm),
    ringRow('wasm matVecAnd (i64.popcnt)', tRingWasmA),
    ringRow('ts matVecXnor (SWAR popcount)', tRingTs),
  ],
);
console.log(`from DRAM, wasm matVecXnor reaches ${((WEIGHT_BYTES / tRingWasm / ringBw) * 100).toFixed(0)}% of the measured stream bandwidth (goal >= 70%)`);
if (sink === 1n) console.log('');
