/**
 * Benchmark: the kernel work of one EP training sample of a 784-2048-100 network
 * (T1 = 20 free + T2 = 10 nudged steps, then one learning step), TypeScript against
 * WebAssembly. Per step: hidden forward 2048 x 784, hidden backward 2048 x 100 (the
 * transposed copy of W2), output forward 100 x 2048. Learning: counter updates of
 * W1 (2048 x 784), W2 (100 x 2048) and the backward copy (2048 x 100). This is the
 * kernels' share of a sample only (no neuron update, no data handling): a floor for
 * the functional model's time per sample. Run with `npm run bench -- ep-sample`.
 */
import { WasmKernels, bitPlaneWords, counterStride, matVecXnor, newTally, updateLayerCounters, wordsFor } from '../../src/kernels';
import type { CounterRule } from '../../src/kernels';
import { fillWords, printTable, secondsPerCall } from './bench-util';

const N_IN = 784;
const N_HID = 2048;
const N_OUT = 100;
const STEPS = 30;
const TRAIN_SAMPLES = 7996;
const rule: CounterRule = { counterBits: 4, theta: 2, leakShift: 0 };

const k = WasmKernels.create(16 * 1024 * 1024);
const w1 = k.allocWords(N_HID * wordsFor(N_IN));
const w2 = k.allocWords(N_OUT * wordsFor(N_HID));
const w2t = k.allocWords(N_HID * wordsFor(N_OUT));
const c1 = k.allocInt8(N_HID * counterStride(N_IN));
const c2 = k.allocInt8(N_OUT * counterStride(N_HID));
const c2t = k.allocInt8(N_HID * counterStride(N_OUT));
const p1 = k.allocWords(bitPlaneWords(N_HID, N_IN, rule.counterBits));
const p2 = k.allocWords(bitPlaneWords(N_OUT, N_HID, rule.counterBits));
const p2t = k.allocWords(bitPlaneWords(N_HID, N_OUT, rule.counterBits));
const x = [k.allocWords(wordsFor(N_IN)), k.allocWords(wordsFor(N_IN))] as const;
const h = [k.allocWords(wordsFor(N_HID)), k.allocWords(wordsFor(N_HID))] as const;
const y = [k.allocWords(wordsFor(N_OUT)), k.allocWords(wordsFor(N_OUT))] as const;
const dotH = k.allocInt32(N_HID);
const dotHb = k.allocInt32(N_HID);
const dotY = k.allocInt32(N_OUT);
for (const [v, name] of [[w1, 'w1'], [w2, 'w2'], [w2t, 'w2t'], [x[0], 'x0'], [x[1], 'x1'], [h[0], 'h0'], [h[1], 'h1'], [y[0], 'y0'], [y[1], 'y1']] as const) {
  fillWords(v, `ep:${name}`);
}
// Keep tail bits zero: 784 and 100 are not multiples of 32.
x[0][24] = (x[0][24] as number) & 0xffff;
x[1][24] = (x[1][24] as number) & 0xffff;
y[0][3] = (y[0][3] as number) & 0xf;
y[1][3] = (y[1][3] as number) & 0xf;
const inc = new Uint32Array(wordsFor(N_HID));
const dec = new Uint32Array(wordsFor(N_HID));
const tally = newTally();

function stepsTs(): void {
  for (let s = 0; s < STEPS; s++) {
    matVecXnor(w1, N_HID, N_IN, x[0], dotH);
    matVecXnor(w2t, N_HID, N_OUT, y[0], dotHb);
    matVecXnor(w2, N_OUT, N_HID, h[0], dotY);
  }
}
function stepsWasm(): void {
  for (let s = 0; s < STEPS; s++) {
    k.matVecXnor(w1, N_HID, N_IN, x[0], dotH);
    k.matVecXnor(w2t, N_HID, N_OUT, y[0], dotHb);
    k.matVecXnor(w2, N_OUT, N_HID, h[0], dotY);
  }
}
let sign = 1;
function learnTs(): void {
  sign = -sign;
  updateLayerCounters(w1, c1, N_HID, N_IN, x[0], x[1], h[0], h[1], sign, 'spin', rule, inc, dec, tally);
  updateLayerCounters(w2, c2, N_OUT, N_HID, h[0], h[1], y[0], y[1], sign, 'spin', rule, inc, dec, tally);
  updateLayerCounters(w2t, c2t, N_HID, N_OUT, y[0], y[1], h[0], h[1], sign, 'spin', rule, inc, dec, tally);
}
function learnWasm(): void {
  sign = -sign;
  k.updateLayerCounters(w1, c1, N_HID, N_IN, x[0], x[1], h[0], h[1], sign, 'spin', rule, tally);
  k.updateLayerCounters(w2, c2, N_OUT, N_HID, h[0], h[1], y[0], y[1], sign, 'spin', rule, tally);
  k.updateLayerCounters(w2t, c2t, N_HID, N_OUT, y[0], y[1], h[0], h[1], sign, 'spin', rule, tally);
}
function learnSliced(): void {
  sign = -sign;
  k.updateLayerSliced(w1, p1, N_HID, N_IN, x[0], x[1], h[0], h[1], sign, 'spin', rule, tally);
  k.updateLayerSliced(w2, p2, N_OUT, N_HID, h[0], h[1], y[0], y[1], sign, 'spin', rule, tally);
  k.updateLayerSliced(w2t, p2t, N_HID, N_OUT, y[0], y[1], h[0], h[1], sign, 'spin', rule, tally);
}

const tStepsTs = secondsPerCall(stepsTs, 2, 1);
const tStepsWasm = secondsPerCall(stepsWasm, 10, 1);
const tLearnTs = secondsPerCall(learnTs, 2, 1);
const tLearnWasm = secondsPerCall(learnWasm, 10, 1);
const tLearnSliced = secondsPerCall(learnSliced, 10, 1);
const row = (name: string, steps: number, learn: number): string[] => [
  name,
  (steps * 1e3).toFixed(3),
  (learn * 1e3).toFixed(3),
  ((steps + learn) * 1e3).toFixed(3),
  ((steps + learn) * TRAIN_SAMPLES).toFixed(2),
];
console.log(`kernel work of one EP sample, ${N_IN}-${N_HID}-${N_OUT}, ${STEPS} steps (spin, XNOR), 4-bit counters; phases random and independent (learning: about half the contributions nonzero)`);
printTable(
  ['build', 'ms steps', 'ms learn', 'ms/sample', `s per ${TRAIN_SAMPLES}-sample epoch`],
  [
    row('typescript', tStepsTs, tLearnTs),
    row('wasm, byte-per-counter learning', tStepsWasm, tLearnWasm),
    row('wasm, bit-sliced learning', tStepsWasm, tLearnSliced),
  ],
);
