/**
 * Benchmark: the EP plasticity update of a whole 1024 x 4096 layer (4 Mi synapses):
 * increment/decrement masks, saturating counters, hysteresis flips. Compares, in one
 * process on the same data, the WebAssembly kernels (v128 on bit-sliced counters, and
 * v128 with one byte per counter), the TypeScript kernels (bit-sliced, as the engines run
 * it: plasticityMasks + updateRowPlanes per row; and one byte per counter) and the
 * naive per-synapse reference, in synapse updates per second of CPU time. The phases
 * are random and independent (about half of the contributions nonzero) or differ in
 * 5% of the spikes (as EP's free and nudged phases do). Run with `npm run bench`.
 */
import { WasmKernels, bitPlaneWords, counterMax, counterMin, counterStride, getBit, newTally, planeWords, plasticityMasks, toBitPlanes, updateLayerCounters, updateRowPlanes, wordsFor } from '../../src/kernels';
import type { CounterRule } from '../../src/kernels';
import { refUpdateLayerCounters } from '../../src/kernels/reference';
import { fillWords, printTable, secondsPerCall, si } from './bench-util';

const ROWS = 1024;
const N_BITS = 4096;
const WORDS = wordsFor(N_BITS);
const SYNAPSES = ROWS * N_BITS;

const k = WasmKernels.create(24 * 1024 * 1024);
const weights = k.allocWords(ROWS * WORDS);
const counters = k.allocInt8(ROWS * counterStride(N_BITS));
const preNudged = k.allocWords(WORDS);
const preFree = k.allocWords(WORDS);
const postNudged = k.allocWords(wordsFor(ROWS));
const postFree = k.allocWords(wordsFor(ROWS));
fillWords(weights, 'plasticity:W');
fillWords(preNudged, 'plasticity:xb');
fillWords(preFree, 'plasticity:x0');
fillWords(postNudged, 'plasticity:yb');
fillWords(postFree, 'plasticity:y0');
const planes = k.allocWords(bitPlaneWords(ROWS, N_BITS, 8));
const inc = new Uint32Array(WORDS);
const dec = new Uint32Array(WORDS);

const rules: [string, CounterRule][] = [
  ['4-bit counters, theta 2', { counterBits: 4, theta: 2, leakShift: 0 }],
  ['6-bit counters, theta 8, leak >> 3', { counterBits: 6, theta: 8, leakShift: 3 }],
];

// Same answers before timing: three steps with each build from the same start.
{
  const tsW = Uint32Array.from(weights);
  const tsC = Int8Array.from(counters);
  const a = newTally();
  const b = newTally();
  for (let s = 0; s < 3; s++) {
    const sign = s === 1 ? -1 : 1;
    k.updateLayerCounters(weights, counters, ROWS, N_BITS, preNudged, preFree, postNudged, postFree, sign, 'spin', (rules[0] as [string, CounterRule])[1], a);
    updateLayerCounters(tsW, tsC, ROWS, N_BITS, preNudged, preFree, postNudged, postFree, sign, 'spin', (rules[0] as [string, CounterRule])[1], inc, dec, b);
  }
  if (tsW.join() !== weights.join() || tsC.join() !== counters.join() || a.countersChanged !== b.countersChanged || a.weightsFlipped !== b.weightsFlipped) {
    throw new Error('WebAssembly and TypeScript plasticity updates disagree');
  }
}

const tally = newTally();
let sign = 1;
const rows: string[][] = [];
/** Make the free phase differ from the nudged one in `fraction` of the bits (0.5: independent). */
function setPhases(fraction: number): void {
  fillWords(preNudged, 'plasticity:xb');
  fillWords(postNudged, 'plasticity:yb');
  fillWords(preFree, 'plasticity:x0');
  fillWords(postFree, 'plasticity:y0');
  if (fraction < 0.5) {
    const flipsPerWord = Math.round(32 * fraction);
    for (const [a, b] of [[preNudged, preFree], [postNudged, postFree]] as const) {
      for (let i = 0; i < a.length; i++) {
        let m = 0;
        for (let f = 0; f < flipsPerWord; f++) m |= 1 << (((b[i] as number) >>> (f * 5)) + f * 7) % 32;
        b[i] = ((a[i] as number) ^ m) >>> 0;
      }
    }
  }
}
for (const [phases, fraction] of [['independent', 0.5], ['5% differ', 0.05]] as const) {
  setPhases(fraction);
  for (const [label, rule] of rules) {
    for (const encoding of ['spin', 'binary'] as const) {
      const variants: [string, () => void, number][] = [];
      toBitPlanes(counters, ROWS, N_BITS, rule.counterBits, planes);
      variants.push(['wasm v128, bit-sliced', () => {
        sign = -sign;
        k.updateLayerSliced(weights, planes, ROWS, N_BITS, preNudged, preFree, postNudged, postFree, sign, encoding, rule, tally);
      }, 8]);
      variants.push(['wasm v128, byte per counter', () => {
        sign = -sign;
        k.updateLayerCounters(weights, counters, ROWS, N_BITS, preNudged, preFree, postNudged, postFree, sign, encoding, rule, tally);
      }, 8]);
      const pr = { bits: rule.counterBits, hi: counterMax(rule.counterBits), lo: counterMin(rule.counterBits), theta: rule.theta, leakShift: rule.leakShift, flipOnChangeOnly: false };
      const pw = planeWords(N_BITS);
      variants.push(['ts, bit-sliced (engines)', () => {
        sign = -sign;
        for (let r = 0; r < ROWS; r++) {
          plasticityMasks(preNudged, 0, preFree, 0, N_BITS, getBit(postNudged, r), getBit(postFree, r), sign, encoding, inc, dec, 0);
          updateRowPlanes(weights, r * WORDS, planes, r * rule.counterBits * pw, pw, N_BITS, inc, dec, 0, pr, tally, null);
        }
      }, 1]);
      variants.push(['ts, byte per counter', () => {
        sign = -sign;
        updateLayerCounters(weights, counters, ROWS, N_BITS, preNudged, preFree, postNudged, postFree, sign, encoding, rule, inc, dec, tally);
      }, 1]);
      // The reference is slow: time 4 rows and scale.
      const tRef = (secondsPerCall(() => {
        sign = -sign;
        refUpdateLayerCounters(weights, counters, 4, N_BITS, preNudged, preFree, postNudged, postFree, sign, encoding, rule, inc, dec, tally);
      }, 1, 0.5) * ROWS) / 4;
      for (const [name, fn, perBatch] of variants) {
        const t = secondsPerCall(fn, perBatch, 0.7);
        rows.push([phases, `${label}, ${encoding}`, name, (t * 1e3).toFixed(2), `${si(SYNAPSES / t)}updates/s`, `${(tRef / t).toFixed(0)}x`]);
      }
      rows.push([phases, `${label}, ${encoding}`, 'reference, per synapse', (tRef * 1e3).toFixed(2), `${si(SYNAPSES / tRef)}updates/s`, '1x']);
    }
  }
}
console.log(`plasticity update of a ${ROWS} x ${N_BITS} layer (${SYNAPSES / 2 ** 20} Mi synapses), CPU time per layer update (best batch), node ${process.version}`);
printTable(['phases', 'rule', 'kernel', 'ms/layer', 'synapse rate', 'vs reference'], rows);
console.log(`(events over all timed updates: ${tally.countersChanged} counter changes, ${tally.weightsFlipped} flips; beta's sign alternates between calls, so counters swing back and forth and rarely cross theta: every kernel does the same work either way)`);
