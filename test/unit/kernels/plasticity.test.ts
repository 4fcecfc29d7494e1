import { counterMax, counterMin, counterStride, newTally, wordsFor } from '../../../src/kernels';
import type { BitEncoding, CounterRule } from '../../../src/kernels';
import { refContribution } from '../../../src/kernels/reference';
import { rngStream } from '../../../src/util/rng';
import { KernelSet, RANDOM_WIDTHS, planesKernels, randomBits, refKernels, slicedKernels, tailIsZero, tsKernels, wasmKernels } from './kernel-sets';

const ENCODINGS: BitEncoding[] = ['spin', 'binary'];

function randomCounters(n: number, bits: number, seed: string): Int8Array {
  const rng = rngStream(seed, 'kernel-test-counters');
  const c = new Int8Array(n);
  const lo = counterMin(bits);
  for (let i = 0; i < n; i++) c[i] = lo + rng.below(counterMax(bits) - lo + 1);
  return c;
}

/** Weights consistent with counters where |H| > theta, random in the hysteresis band. */
function weightsFor(counters: Int8Array, n: number, theta: number, seed: string): Uint32Array {
  const band = randomBits(n, seed);
  const bits = Array.from({ length: n }, (_, j) => ((counters[j] as number) > theta ? 1 : (counters[j] as number) < -theta ? 0 : (band[j] as number)));
  return tsKernels.pack(bits);
}

describe.each<KernelSet>([tsKernels, planesKernels, refKernels])('plasticity row kernels ($name)', (k) => {
  test('exhaustive masks for widths 1..6, both encodings, both beta signs, all post bits', () => {
    for (let n = 1; n <= 6; n++) {
      const inc = new Uint32Array(1);
      const dec = new Uint32Array(1);
      for (let xb = 0; xb < 1 << n; xb++) {
        for (let x0 = 0; x0 < 1 << n; x0++) {
          for (const enc of ENCODINGS) {
            for (let post = 0; post < 4; post++) {
              for (const sgn of [1, -1]) {
                const pb = post & 1;
                const p0 = post >> 1;
                const nz = k.plasticityMasks(new Uint32Array([xb]), 0, new Uint32Array([x0]), 0, n, pb, p0, sgn, enc, inc, dec, 0);
                let wantInc = 0;
                let wantDec = 0;
                let wantNz = 0;
                for (let j = 0; j < n; j++) {
                  const c = refContribution(pb, (xb >> j) & 1, p0, (x0 >> j) & 1, sgn, enc);
                  if (c > 0) wantInc |= 1 << j;
                  if (c < 0) wantDec |= 1 << j;
                  if (c !== 0) wantNz++;
                }
                if (inc[0] !== wantInc || dec[0] !== wantDec || nz !== wantNz) {
                  expect({ n, xb, x0, enc, post, sgn, inc: inc[0], dec: dec[0], nz }).toEqual({ n, xb, x0, enc, post, sgn, inc: wantInc, dec: wantDec, nz: wantNz });
                }
              }
            }
          }
        }
      }
    }
  });

  test('contribution table: spin XNOR products and {0,1} AND products', () => {
    // spin: post 1 / pre 1 in nudged (+1), post 1 / pre 0 in free (-1): difference +2 -> +1.
    expect(refContribution(1, 1, 1, 0, 1, 'spin')).toBe(1);
    expect(refContribution(1, 1, 1, 0, -1, 'spin')).toBe(-1);
    expect(refContribution(0, 0, 1, 1, 1, 'spin')).toBe(0);
    // binary: product 1 only when both bits are 1.
    expect(refContribution(1, 1, 1, 0, 1, 'binary')).toBe(1);
    expect(refContribution(0, 0, 1, 1, 1, 'binary')).toBe(-1);
    expect(refContribution(0, 1, 1, 0, 1, 'binary')).toBe(0);
  });

  test.each(RANDOM_WIDTHS)('row update of %i synapses agrees with the per-synapse formula; only touched synapses flip', (n) => {
    for (const counterBits of [2, 4, 8]) {
      for (const leakShift of [0, 1, 3]) {
        const theta = Math.min(1, counterMax(counterBits) - 1);
        const rule: CounterRule = { counterBits, theta, leakShift };
        const seed = `${n}:${counterBits}:${leakShift}`;
        const nWords = wordsFor(n);
        const inc = new Uint32Array(nWords);
        const dec = new Uint32Array(nWords);
        const preB = tsKernels.pack(randomBits(n, `pb${seed}`));
        const pre0 = tsKernels.pack(randomBits(n, `p0${seed}`));
        k.plasticityMasks(preB, 0, pre0, 0, n, 1, 0, -1, 'spin', inc, dec, 0);
        expect(tailIsZero(inc, 0, n) && tailIsZero(dec, 0, n)).toBe(true);
        const counters = randomCounters(n, counterBits, seed);
        // Random weights, so some sit on the wrong side of their counter: only touched ones may flip.
        const weights = tsKernels.pack(randomBits(n, `w${seed}`));
        const before = Int8Array.from(counters);
        const wBefore = Uint32Array.from(weights);
        const tally = newTally();
        k.updateRowCounters(weights, 0, counters, 0, n, inc, dec, 0, rule, tally);
        let changed = 0;
        let flipped = 0;
        let clipped = 0;
        const wantC = new Int8Array(n);
        const wantW = new Uint8Array(n);
        for (let j = 0; j < n; j++) {
          let h = before[j] as number;
          const c = tsKernels.getBit(inc, j) - tsKernels.getBit(dec, j);
          const touched = c !== 0 || leakShift > 0;
          if (leakShift > 0) h -= Math.sign(h) * (Math.abs(h) >> leakShift);
          if (touched && (h + c > counterMax(counterBits) || h + c < counterMin(counterBits))) clipped++;
          h = Math.max(counterMin(counterBits), Math.min(counterMax(counterBits), h + c));
          wantC[j] = h;
          if (h !== before[j]) changed++;
          const w0 = tsKernels.getBit(wBefore, j);
          const w = !touched ? w0 : h > theta ? 1 : h < -theta ? 0 : w0;
          wantW[j] = w;
          if (w !== w0) flipped++;
        }
        expect(Array.from(counters).join()).toBe(Array.from(wantC).join());
        expect(Array.from(tsKernels.unpack(weights, n)).join()).toBe(Array.from(wantW).join());
        expect(tally).toEqual({ countersChanged: changed, weightsFlipped: flipped, countersSaturated: clipped });
        expect(tailIsZero(weights, 0, n)).toBe(true);
      }
    }
  });

  test.each(ENCODINGS)('layer update (%s) equals masks + row updates, with padded counter rows', (enc) => {
    const rows = 37;
    const n = 100;
    const rule: CounterRule = { counterBits: 4, theta: 2, leakShift: 0 };
    const stride = counterStride(n);
    const nWords = wordsFor(n);
    const counters = new Int8Array(rows * stride);
    const weights = new Uint32Array(rows * nWords);
    for (let r = 0; r < rows; r++) {
      counters.set(randomCounters(n, 4, `c${r}`), r * stride);
      weights.set(weightsFor(counters.subarray(r * stride), n, 2, `w${r}`), r * nWords);
    }
    const preB = tsKernels.pack(randomBits(n, 'lb'));
    const pre0 = tsKernels.pack(randomBits(n, 'l0'));
    const postB = tsKernels.pack(randomBits(rows, 'qb'));
    const post0 = tsKernels.pack(randomBits(rows, 'q0'));
    const inc = new Uint32Array(nWords);
    const dec = new Uint32Array(nWords);
    const cRows = Int8Array.from(counters);
    const wRows = Uint32Array.from(weights);
    const tRows = newTally();
    for (let r = 0; r < rows; r++) {
      refKernels.plasticityMasks(preB, 0, pre0, 0, n, tsKernels.getBit(postB, r), tsKernels.getBit(post0, r), 1, enc, inc, dec, 0);
      refKernels.updateRowCounters(wRows, r * nWords, cRows, r * stride, n, inc, dec, 0, rule, tRows);
    }
    const tally = newTally();
    k.updateLayerCounters(weights, counters, rows, n, preB, pre0, postB, post0, 1, enc, rule, inc, dec, tally);
    expect(Array.from(counters)).toEqual(Array.from(cRows));
    expect(Array.from(weights)).toEqual(Array.from(wRows));
    expect(tally).toEqual(tRows);
    expect(tally.countersChanged).toBeGreaterThan(0);
  });
});

const RULES: CounterRule[] = [
  { counterBits: 2, theta: 0, leakShift: 0 },
  { counterBits: 4, theta: 2, leakShift: 0 },
  { counterBits: 5, theta: 3, leakShift: 1 },
  { counterBits: 8, theta: 100, leakShift: 3 },
];

describe.each<KernelSet>([tsKernels, planesKernels, wasmKernels, slicedKernels])('layer plasticity ($name) against the reference', (k) => {
  test.each(RANDOM_WIDTHS)('three successive steps on a 5 x %i layer, every rule, encoding and beta sign', (n) => {
    const rows = 5;
    const stride = counterStride(n);
    const nWords = wordsFor(n);
    const inc = new Uint32Array(nWords);
    const dec = new Uint32Array(nWords);
    for (const rule of RULES) {
      for (const enc of ENCODINGS) {
        const seed = `${n}:${rule.counterBits}:${enc}`;
        // Random counters near the top of their range and random (not necessarily consistent) weights.
        const counters = new Int8Array(rows * stride);
        const weights = new Uint32Array(rows * nWords);
        for (let r = 0; r < rows; r++) {
          counters.set(randomCounters(n, rule.counterBits, `${seed}:c${r}`), r * stride);
          tsKernels.pack(randomBits(n, `${seed}:w${r}`), weights.subarray(r * nWords, (r + 1) * nWords));
        }
        const refC = Int8Array.from(counters);
        const refW = Uint32Array.from(weights);
        const tally = newTally();
        const refTally = newTally();
        for (let step = 0; step < 3; step++) {
          const sgn = step === 1 ? -1 : 1;
          const preB = tsKernels.pack(randomBits(n, `${seed}:xb${step}`, 0.3));
          const pre0 = tsKernels.pack(randomBits(n, `${seed}:x0${step}`, 0.6));
          const postB = tsKernels.pack(randomBits(rows, `${seed}:yb${step}`));
          const post0 = tsKernels.pack(randomBits(rows, `${seed}:y0${step}`));
          k.updateLayerCounters(weights, counters, rows, n, preB, pre0, postB, post0, sgn, enc, rule, inc, dec, tally);
          refKernels.updateLayerCounters(refW, refC, rows, n, preB, pre0, postB, post0, sgn, enc, rule, inc, dec, refTally);
          if (Array.from(counters).join() !== Array.from(refC).join()) expect(Array.from(counters)).toEqual(Array.from(refC));
          if (Array.from(weights).join() !== Array.from(refW).join()) expect(Array.from(weights)).toEqual(Array.from(refW));
          expect([tally.countersChanged, tally.weightsFlipped]).toEqual([refTally.countersChanged, refTally.weightsFlipped]);
          // Saturations are counted by the TypeScript row kernel the engines run; the WebAssembly and bit-sliced layer kernels leave them at 0.
          if (k !== wasmKernels) expect(tally.countersSaturated).toBe(refTally.countersSaturated);
          for (let r = 0; r < rows; r++) expect(tailIsZero(weights, r * nWords, n)).toBe(true);
        }
        expect(refTally.countersChanged).toBeGreaterThan(0);
      }
    }
  });
});

describe.each<KernelSet>([tsKernels, planesKernels, wasmKernels, slicedKernels])('layer plasticity ($name), exhaustive small widths', (k) => {
  test('every pre pair of widths 1..6, the four post-bit pairs (one per row), both encodings and signs', () => {
    const rows = 4;
    const postB = new Uint32Array([0b1010]);
    const post0 = new Uint32Array([0b1100]);
    const rule: CounterRule = { counterBits: 3, theta: 0, leakShift: 0 };
    const inc = new Uint32Array(1);
    const dec = new Uint32Array(1);
    for (let n = 1; n <= 6; n++) {
      const stride = counterStride(n);
      // Counters cover -4..3 (both saturation ends); weights start all -1.
      const c0 = new Int8Array(rows * stride);
      for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) c0[r * stride + j] = ((r * 3 + j) % 8) - 4;
      for (let xb = 0; xb < 1 << n; xb++) {
        for (let x0 = 0; x0 < 1 << n; x0++) {
          for (const enc of ENCODINGS) {
            for (const sgn of [1, -1]) {
              const w = new Uint32Array(rows);
              const c = Int8Array.from(c0);
              const wr = new Uint32Array(rows);
              const cr = Int8Array.from(c0);
              const t = newTally();
              const tr = newTally();
              const pre = [new Uint32Array([xb]), new Uint32Array([x0])] as const;
              k.updateLayerCounters(w, c, rows, n, pre[0], pre[1], postB, post0, sgn, enc, rule, inc, dec, t);
              refKernels.updateLayerCounters(wr, cr, rows, n, pre[0], pre[1], postB, post0, sgn, enc, rule, inc, dec, tr);
              if (w.join() !== wr.join() || c.join() !== cr.join() || t.countersChanged !== tr.countersChanged || t.weightsFlipped !== tr.weightsFlipped) {
                expect({ n, xb, x0, enc, sgn, w: Array.from(w), c: Array.from(c), t }).toEqual({ n, xb, x0, enc, sgn, w: Array.from(wr), c: Array.from(cr), t: tr });
              }
            }
          }
        }
      }
    }
  });
});

describe.each<KernelSet>([tsKernels, wasmKernels, slicedKernels, refKernels])('plasticity arguments ($name)', (k) => {
  test('betaSign must be +1 or -1', () => {
    const v = new Uint32Array(1);
    const rule: CounterRule = { counterBits: 4, theta: 1, leakShift: 0 };
    for (const bad of [0, 2, -0.5, NaN]) {
      expect(() => k.updateLayerCounters(new Uint32Array(1), new Int8Array(32), 1, 8, v, v, v, v, bad, 'spin', rule, v, v, newTally())).toThrow(/betaSign/);
    }
  });
});
