import { RegisterPlanes, bitPlaneWords, counterMax, counterMin, counterStride, fromBitPlanes, newTally, planeWords, toBitPlanes, wordsFor } from '../../../src/kernels';
import type { BitEncoding, CounterRule } from '../../../src/kernels';
import { rngStream } from '../../../src/util/rng';
import { RANDOM_WIDTHS, randomBits, tsKernels, wasm } from './kernel-sets';

function randomLayerCounters(rows: number, n: number, bits: number, seed: string): Int8Array {
  const rng = rngStream(seed, 'sliced-test-counters');
  const stride = counterStride(n);
  const c = new Int8Array(rows * stride);
  const lo = counterMin(bits);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) c[r * stride + j] = lo + rng.below(counterMax(bits) - lo + 1);
  return c;
}

describe('bit-plane layout', () => {
  test('planes are padded to whole v128 groups', () => {
    expect([1, 32, 33, 128, 129, 784].map(planeWords)).toEqual([4, 4, 4, 4, 8, 28]);
    expect(bitPlaneWords(3, 100, 4)).toBe(3 * 4 * 4);
  });

  test.each([2, 3, 4, 6, 8])('round trip of %i-bit counters, bit p of counter j in plane p', (bits) => {
    const rows = 3;
    const n = 161;
    const c = randomLayerCounters(rows, n, bits, `rt${bits}`);
    const planes = toBitPlanes(c, rows, n, bits, new Uint32Array(bitPlaneWords(rows, n, bits)));
    // counter (1, 40), plane p: word (1 * bits + p) * planeWords + 1, bit 8
    const h = c[counterStride(n) + 40] as number;
    for (let p = 0; p < bits; p++) {
      expect(((planes[(bits + p) * planeWords(n) + 1] as number) >>> 8) & 1).toBe((h >> p) & 1);
    }
    expect(Array.from(fromBitPlanes(planes, rows, n, bits, new Int8Array(c.length)))).toEqual(Array.from(c));
  });
});

const RULES: CounterRule[] = [
  { counterBits: 2, theta: 0, leakShift: 0 },
  { counterBits: 3, theta: 1, leakShift: 0 },
  { counterBits: 4, theta: 2, leakShift: 0 },
  { counterBits: 5, theta: 0, leakShift: 0 },
  { counterBits: 6, theta: 13, leakShift: 0 },
  { counterBits: 8, theta: 100, leakShift: 0 },
  { counterBits: 8, theta: 0, leakShift: 0 },
  { counterBits: 2, theta: 0, leakShift: 1 },
  { counterBits: 4, theta: 1, leakShift: 1 },
  { counterBits: 5, theta: 3, leakShift: 2 },
  { counterBits: 8, theta: 20, leakShift: 3 },
  { counterBits: 8, theta: 0, leakShift: 7 },
  { counterBits: 3, theta: 1, leakShift: 5 },
];
const ENCODINGS: BitEncoding[] = ['spin', 'binary'];

describe('WebAssembly bit-sliced update on the engines\' register storage equals the byte-per-counter update', () => {
  test.each([...RANDOM_WIDTHS, 97, 129, 350])('three steps on a 5 x %i layer, every rule, encoding and beta sign', (n) => {
    const rows = 5;
    const nWords = wordsFor(n);
    const inc = new Uint32Array(nWords);
    const dec = new Uint32Array(nWords);
    for (const rule of RULES) {
      for (const enc of ENCODINGS) {
        const seed = `${n}:${rule.counterBits}:${rule.theta}:${enc}`;
        const counters = randomLayerCounters(rows, n, rule.counterBits, seed);
        const weights = new Uint32Array(rows * nWords);
        for (let r = 0; r < rows; r++) tsKernels.pack(randomBits(n, `${seed}:w${r}`), weights.subarray(r * nWords, (r + 1) * nWords));
        const mark = wasm.mark();
        const wW = wasm.allocWords(weights.length);
        wW.set(weights);
        // The engines' register storage, its words a view of the WebAssembly memory.
        const regs = new RegisterPlanes(rows, n, rule.counterBits, wasm.allocWords(bitPlaneWords(rows, n, rule.counterBits)));
        for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) regs.set(r, j, counters[r * counterStride(n) + j] as number);
        const planes = regs.words;
        const vecs = [wasm.allocWords(nWords), wasm.allocWords(nWords), wasm.allocWords(1), wasm.allocWords(1)] as const;
        const tsTally = newTally();
        const wasmTally = newTally();
        for (let step = 0; step < 3; step++) {
          const sgn = step === 1 ? -1 : 1;
          tsKernels.pack(randomBits(n, `${seed}:xb${step}`, 0.3), vecs[0]);
          tsKernels.pack(randomBits(n, `${seed}:x0${step}`, 0.6), vecs[1]);
          tsKernels.pack(randomBits(rows, `${seed}:yb${step}`), vecs[2]);
          tsKernels.pack(randomBits(rows, `${seed}:y0${step}`), vecs[3]);
          tsKernels.updateLayerCounters(weights, counters, rows, n, vecs[0], vecs[1], vecs[2], vecs[3], sgn, enc, rule, inc, dec, tsTally);
          wasm.updateLayerSliced(wW, planes, rows, n, vecs[0], vecs[1], vecs[2], vecs[3], sgn, enc, rule, wasmTally);
          const back = new Int8Array(counters.length);
          for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) back[r * counterStride(n) + j] = regs.get(r, j);
          if (back.join() !== counters.join()) expect(Array.from(back)).toEqual(Array.from(counters));
          if (wW.join() !== weights.join()) expect(Array.from(wW)).toEqual(Array.from(weights));
          // changes, flips and clipped updates
          expect(wasmTally).toEqual(tsTally);
        }
        expect(tsTally.countersChanged).toBeGreaterThan(0);
        wasm.release(mark);
      }
    }
  });

  test('a rule outside the kernels is refused', () => {
    const m = wasm.mark();
    const v = wasm.allocWords(16);
    expect(() => wasm.updateLayerSliced(v, v, 1, 32, v, v, v, v, 1, 'spin', { counterBits: 4, theta: 1, leakShift: 8 }, newTally())).toThrow(/leakShift/);
    wasm.release(m);
  });
});
