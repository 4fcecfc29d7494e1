/**
 * The bit-sliced register kernel the engines run (updateRowPlanes on RegisterPlanes)
 * against the byte-per-counter row kernel (updateRowCounters), bit for bit and tally for
 * tally, over every counter width, every threshold and leak, masks that overlap, and
 * several steps on the same row; and the hidden-weight bounds (+-R, threshold 0, weights
 * following changed registers only) against a per-synapse loop.
 */
import {
  RegisterPlanes,
  checkPlaneRule,
  counterMax,
  counterMin,
  counterStride,
  newTally,
  planeWords,
  updateRowCounters,
  updateRowPlanes,
  wordsFor,
} from '../../../src/kernels';
import type { CounterRule, PlaneRule } from '../../../src/kernels';
import { rngStream } from '../../../src/util/rng';

const SEED = 20261203;

describe('RegisterPlanes', () => {
  test.each([1, 2, 5, 8])('%i-bit registers: set/get round trip, plane p holds bit p, padding stays 0', (bits) => {
    const rng = rngStream(SEED, `planes-rt-${bits}`);
    const rows = 3;
    const n = 70;
    const pl = new RegisterPlanes(rows, n, bits);
    expect(pl.planeStride).toBe(planeWords(n));
    expect(pl.words.length).toBe(rows * bits * planeWords(n));
    const lo = -(1 << (bits - 1));
    const want: number[] = [];
    for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) {
      const v = lo + rng.below(1 << bits);
      want.push(v);
      pl.set(r, j, v);
    }
    expect(Array.from({ length: rows * n }, (_, i) => pl.get(Math.floor(i / n), i % n))).toEqual(want);
    const v = want[n + 40] as number;
    for (let p = 0; p < bits; p++) expect(((pl.words[pl.planeWordIndex(1, 40, p)] as number) >>> 8) & 1).toBe((v >> p) & 1);
    // bits 70..127 of every plane are padding
    for (let r = 0; r < rows; r++) for (let p = 0; p < bits; p++) {
      const at = pl.planeWordIndex(r, 64, p);
      expect((pl.words[at] as number) >>> 6).toBe(0);
      expect(pl.words[at + 1]).toBe(0);
    }
  });

  test.each([2, 6, 8])('%i-bit registers: whole-row writeRow (strided source) and readRow agree with set/get', (bits) => {
    const rng = rngStream(SEED, `planes-rows-${bits}`);
    const rows = 4;
    const n = 45;
    const step = 3;
    const src = new Int32Array(n * step + 7);
    for (let i = 0; i < src.length; i++) src[i] = rng.below(3) === 0 ? 0 : -(1 << (bits - 1)) + rng.below(1 << bits);
    const pl = new RegisterPlanes(rows, n, bits);
    pl.words.fill(0xffffffff); // writeRow must clear what it does not set, padding included
    for (let r = 0; r < rows; r++) pl.writeRow(r, src, r, step);
    const out = new Int32Array(rows * n + 5).fill(99);
    for (let r = 0; r < rows; r++) {
      expect(Array.from({ length: n }, (_, j) => pl.get(r, j))).toEqual(Array.from({ length: n }, (_, j) => src[r + j * step]));
      pl.readRow(r, out, 5 + r * n);
    }
    expect(Array.from(out.subarray(5))).toEqual(Array.from({ length: rows * n }, (_, i) => src[Math.floor(i / n) + (i % n) * step]));
    expect(Array.from(out.subarray(0, 5))).toEqual([99, 99, 99, 99, 99]);
    for (let r = 0; r < rows; r++) for (let p = 0; p < bits; p++) expect((pl.words[pl.planeWordIndex(r, 32, p)] as number) >>> 13).toBe(0);
  });

  test('a too small storage and a bad width are refused', () => {
    expect(() => new RegisterPlanes(2, 40, 3, new Uint32Array(10))).toThrow(RangeError);
    expect(() => new RegisterPlanes(2, 40, 9)).toThrow(RangeError);
    expect(() => checkPlaneRule({ bits: 4, hi: 8, lo: -8, theta: 0, leakShift: 0, flipOnChangeOnly: false })).toThrow(RangeError);
  });
});

describe(`updateRowPlanes equals the byte-per-counter kernel (seed ${SEED})`, () => {
  test.each([2, 3, 4, 5, 6, 7, 8])('%i-bit counters, every theta, leaks 0..7, overlapping masks, 6 steps per row', (bits) => {
    const rng = rngStream(SEED, `planes-vs-bytes-${bits}`);
    let clipped = 0;
    let flips = 0;
    for (let theta = 0; theta < counterMax(bits); theta++) {
      for (let leakShift = 0; leakShift <= 7; leakShift++) {
        const rule: CounterRule = { counterBits: bits, theta, leakShift };
        const pr: PlaneRule = { bits, hi: counterMax(bits), lo: counterMin(bits), theta, leakShift, flipOnChangeOnly: false };
        const n = 1 + rng.below(100);
        const nw = wordsFor(n);
        const bytes = new Int8Array(counterStride(n));
        const planes = new RegisterPlanes(1, n, bits);
        for (let j = 0; j < n; j++) {
          const v = counterMin(bits) + rng.below(1 << bits);
          bytes[j] = v;
          planes.set(0, j, v);
        }
        const w1 = new Uint32Array(nw);
        for (let k = 0; k < nw; k++) w1[k] = rng.below(2 ** 32) >>> 0;
        if (n & 31) w1[nw - 1] = (w1[nw - 1] as number) & ((1 << (n & 31)) - 1);
        const w2 = Uint32Array.from(w1);
        const t1 = newTally();
        const t2 = newTally();
        for (let step = 0; step < 6; step++) {
          const inc = new Uint32Array(nw);
          const dec = new Uint32Array(nw);
          // dense (steps 0-2) and sparse (3-5: words with one, two or a few touched synapses,
          // the per-synapse path) masks, some bits in both (a zero contribution)
          const range = step < 3 ? 8 : 90;
          for (let j = 0; j < n; j++) {
            const u = rng.below(range);
            if (u === 0 || u === 2) inc[j >>> 5] = (inc[j >>> 5] as number) | (1 << (j & 31));
            if (u === 1 || u === 2) dec[j >>> 5] = (dec[j >>> 5] as number) | (1 << (j & 31));
          }
          updateRowCounters(w1, 0, bytes, 0, n, inc, dec, 0, rule, t1);
          updateRowPlanes(w2, 0, planes.words, 0, planes.planeStride, n, inc, dec, 0, pr, t2, null);
          const where = `bits ${bits} theta ${theta} leak ${leakShift} n ${n} step ${step}`;
          expect([where, Array.from({ length: n }, (_, j) => planes.get(0, j))]).toEqual([where, Array.from(bytes.subarray(0, n))]);
          expect([where, Array.from(w2)]).toEqual([where, Array.from(w1)]);
        }
        expect(t2).toEqual(t1);
        clipped += t1.countersSaturated;
        flips += t1.weightsFlipped;
      }
    }
    // The draws reach the bounds and cross the thresholds: the counts are exercised.
    expect(clipped).toBeGreaterThan(0);
    expect(flips).toBeGreaterThan(0);
  });

  test.each([1, 2, 3, 5, 64, 127])('hidden bounds +-%i: clip at R, weight = sign(h) where h changed', (R) => {
    const rng = rngStream(SEED, `planes-hidden-${R}`);
    const bits = Math.ceil(Math.log2(R + 1)) + 1;
    const pr: PlaneRule = { bits, hi: R, lo: -R, theta: 0, leakShift: 0, flipOnChangeOnly: true };
    const n = 75;
    const planes = new RegisterPlanes(1, n, bits);
    const h = Array.from({ length: n }, () => -R + rng.below(2 * R + 1));
    h.forEach((v, j) => planes.set(0, j, v));
    // weights random, so some disagree with sign(h) and must stay until h changes
    const w = Array.from({ length: n }, () => rng.below(2));
    const packed = new Uint32Array(wordsFor(n));
    w.forEach((b, j) => (packed[j >>> 5] = (packed[j >>> 5] as number) | (b << (j & 31))));
    const tally = newTally();
    let changed = 0;
    let flipped = 0;
    let clipped = 0;
    for (let step = 0; step < 2 * R + 3; step++) {
      const inc = new Uint32Array(wordsFor(n));
      const dec = new Uint32Array(wordsFor(n));
      const sparse = step % 2 === 1; // odd steps: one or two synapses per word (the per-synapse path)
      const cs = h.map((_v, j) => {
        const c = sparse ? ([-1, 1][rng.below(2)] as number) * (rng.below(20) === 0 ? 1 : 0) : ([-1, 0, 1, 1][rng.below(4)] as number);
        if (c > 0) inc[j >>> 5] = (inc[j >>> 5] as number) | (1 << (j & 31));
        if (c < 0) dec[j >>> 5] = (dec[j >>> 5] as number) | (1 << (j & 31));
        return c;
      });
      updateRowPlanes(packed, 0, planes.words, 0, planes.planeStride, n, inc, dec, 0, pr, tally, null);
      for (let j = 0; j < n; j++) {
        const v = (h[j] as number) + (cs[j] as number);
        const nh = Math.max(-R, Math.min(R, v));
        if (nh !== v) clipped++;
        if (nh !== h[j]) {
          changed++;
          const nwb = nh > 0 ? 1 : nh < 0 ? 0 : (w[j] as number);
          if (nwb !== w[j]) flipped++;
          w[j] = nwb;
        }
        h[j] = nh;
      }
      expect(Array.from({ length: n }, (_, j) => planes.get(0, j))).toEqual(h);
      expect(Array.from({ length: n }, (_, j) => ((packed[j >>> 5] as number) >>> (j & 31)) & 1)).toEqual(w);
    }
    expect(tally).toEqual({ countersChanged: changed, weightsFlipped: flipped, countersSaturated: clipped });
    expect(clipped).toBeGreaterThan(0);
  });
});
