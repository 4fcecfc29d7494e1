import fc from 'fast-check';
import { bitPlaneWords, counterMax, counterMin, counterStride, fromBitPlanes, newTally, toBitPlanes, wordsFor } from '../../../src/kernels';
import type { BitEncoding } from '../../../src/kernels';
import { KernelSet, tailIsZero, tsKernels, wasm } from '../../unit/kernels/kernel-sets';

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

describe('layer kernels agree across builds (fast-check)', () => {
  const ruleArb = fc
    .tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 126 }), fc.integer({ min: 0, max: 7 }))
    .map(([counterBits, t, leakShift]) => ({ counterBits, theta: t % counterMax(counterBits), leakShift }));

  test('TypeScript, WebAssembly byte-per-counter and bit-sliced updates and mat-vecs give the same bits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 200 }),
        ruleArb,
        encodingArb,
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (rows, n, rule, encoding, positive, salt) => {
          const words = wordsFor(n);
          const stride = counterStride(n);
          const rnd = (i: number): number => Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b) ^ (i >>> 3);
          const mark = wasm.mark();
          try {
            const W = wasm.allocWords(rows * words);
            const C = wasm.allocInt8(rows * stride);
            const xb = wasm.allocWords(words);
            const x0 = wasm.allocWords(words);
            const yb = wasm.allocWords(wordsFor(rows));
            const y0 = wasm.allocWords(wordsFor(rows));
            const lo = counterMin(rule.counterBits);
            const span = counterMax(rule.counterBits) - lo + 1;
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < n; j++) {
                if (rnd(r * 1000 + j) & 16) W[r * words + (j >>> 5)] = ((W[r * words + (j >>> 5)] as number) | (1 << (j & 31))) >>> 0;
                C[r * stride + j] = lo + (((rnd(r * 7777 + j) >>> 4) & 0xffff) % span);
              }
            }
            for (let j = 0; j < n; j++) {
              if (rnd(50000 + j) & 32) tsKernels.setBit(xb, j, 1);
              if (rnd(60000 + j) & 64) tsKernels.setBit(x0, j, 1);
            }
            for (let r = 0; r < rows; r++) {
              if (rnd(70000 + r) & 8) tsKernels.setBit(yb, r, 1);
              if (rnd(80000 + r) & 128) tsKernels.setBit(y0, r, 1);
            }
            const out = wasm.allocInt32(rows);
            const tsOut = new Int32Array(rows);
            wasm.matVecXnor(W, rows, n, xb, out);
            tsKernels.matVecXnor(W, rows, n, xb, tsOut);
            if (out.join() !== tsOut.join()) return false;
            wasm.matVecAnd(W, rows, n, x0, out);
            tsKernels.matVecAnd(W, rows, n, x0, tsOut);
            if (out.join() !== tsOut.join()) return false;

            const tsW = Uint32Array.from(W);
            const tsC = Int8Array.from(C);
            const planes = toBitPlanes(C, rows, n, rule.counterBits, wasm.allocWords(bitPlaneWords(rows, n, rule.counterBits)));
            const slicedW = Uint32Array.from(W);
            const wSliced = wasm.allocWords(W.length);
            wSliced.set(slicedW);
            const sign = positive ? 1 : -1;
            const t1 = newTally();
            const t2 = newTally();
            const t3 = newTally();
            tsKernels.updateLayerCounters(tsW, tsC, rows, n, xb, x0, yb, y0, sign, encoding, rule, new Uint32Array(words), new Uint32Array(words), t1);
            wasm.updateLayerCounters(W, C, rows, n, xb, x0, yb, y0, sign, encoding, rule, t2);
            if (tsW.join() !== W.join() || tsC.join() !== C.join() || t1.countersChanged !== t2.countersChanged || t1.weightsFlipped !== t2.weightsFlipped) return false;
            wasm.updateLayerSliced(wSliced, planes, rows, n, xb, x0, yb, y0, sign, encoding, rule, t3);
            const back = fromBitPlanes(planes, rows, n, rule.counterBits, new Int8Array(C.length));
            return wSliced.join() === W.join() && back.join() === C.join() && t3.countersChanged === t1.countersChanged && t3.weightsFlipped === t1.weightsFlipped;
          } finally {
            wasm.release(mark);
          }
        },
      ),
      { numRuns: 150, seed: 20261122 },
    );
  });
});
