import fc from 'fast-check';
import { counterMax, counterMin, newTally, wordsFor } from '../../../src/kernels';
import type { BitEncoding } from '../../../src/kernels';
import { KernelSet, tailIsZero, tsKernels } from '../../unit/kernels/kernel-sets';

/** A bit vector of 1..300 bits as one byte per bit. */
const bitsArb = fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 300 });
/** Two bit vectors of the same length. */
const pairArb = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.tuple(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n })),
);
const encodingArb = fc.constantFrom<BitEncoding>('spin', 'binary');
const RUNS = { numRuns: 200, seed: 20261122 };

describe.each<KernelSet>([tsKernels])('kernel properties ($name)', (k) => {
  test('pack/unpack round trip and tail bits zero', () => {
    fc.assert(
      fc.property(bitsArb, (bits) => {
        const v = k.pack(bits);
        return v.length === wordsFor(bits.length) && tailIsZero(v, 0, bits.length) && Array.from(k.unpack(v, bits.length)).join() === bits.join();
      }),
      RUNS,
    );
  });

  test('dotXnor = n - 2 * hamming; dotAnd = 2 * popcount(w AND x) - popcount(x)', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const n = a.length;
        const av = k.pack(a);
        const bv = k.pack(b);
        let hamming = 0;
        let both = 0;
        let ones = 0;
        for (let i = 0; i < n; i++) {
          if (a[i] !== b[i]) hamming++;
          if (a[i] === 1 && b[i] === 1) both++;
          if (b[i] === 1) ones++;
        }
        return k.dotXnor(av, 0, bv, 0, n) === n - 2 * hamming && k.dotAnd(av, 0, bv, 0, n) === 2 * both - ones;
      }),
      RUNS,
    );
  });

  test('transposing twice is the identity and keeps tails zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer(), (rows, cols, salt) => {
        const cw = wordsFor(cols);
        const W = new Uint32Array(rows * cw);
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) if ((Math.imul(r * 131 + c, 0x9e3779b1) ^ salt) & 0x100) k.setBit(W.subarray(r * cw), c, 1);
        }
        const t = k.transposeBits(W, rows, cols);
        const rw = wordsFor(rows);
        for (let c = 0; c < cols; c++) if (!tailIsZero(t, c * rw, rows)) return false;
        return Array.from(k.transposeBits(t, cols, rows)).join() === Array.from(W).join();
      }),
      RUNS,
    );
  });

  test('counters stay within their width, flips happen only past theta, tails stay zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 4 }),
        encodingArb,
        fc.array(fc.tuple(pairArb, fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 12 }),
        (counterBits, thetaPick, leakShift, encoding, steps) => {
          const theta = Math.min(thetaPick, counterMax(counterBits) - 1);
          const rule = { counterBits, theta, leakShift };
          const n = 300;
          const words = wordsFor(n);
          const counters = new Int8Array(n);
          const weights = new Uint32Array(words);
          const inc = new Uint32Array(words);
          const dec = new Uint32Array(words);
          for (const [[xb, x0], post, positive] of steps) {
            const m = xb.length;
            const nz = k.plasticityMasks(k.pack(xb), 0, k.pack(x0), 0, m, post & 1, post >> 1, positive ? 1 : -1, encoding, inc, dec, 0);
            if (!tailIsZero(inc, 0, m) || !tailIsZero(dec, 0, m)) return false;
            if (k.popcountVec(inc, 0, wordsFor(m)) + k.popcountVec(dec, 0, wordsFor(m)) !== nz) return false;
            const before = Uint32Array.from(weights);
            const tally = newTally();
            k.updateRowCounters(weights, 0, counters, 0, m, inc, dec, 0, rule, tally);
            let flips = 0;
            for (let j = 0; j < n; j++) {
              const h = counters[j] as number;
              if (h < counterMin(counterBits) || h > counterMax(counterBits)) return false;
              const w0 = k.getBit(before, j);
              const w = k.getBit(weights, j);
              if (w !== w0) {
                flips++;
                if (w === 1 && !(h > theta)) return false;
                if (w === 0 && !(h < -theta)) return false;
              }
            }
            if (flips !== tally.weightsFlipped) return false;
            if (!tailIsZero(weights, 0, n)) return false;
          }
          return true;
        },
      ),
      { numRuns: 100, seed: 20261122 },
    );
  });
});
