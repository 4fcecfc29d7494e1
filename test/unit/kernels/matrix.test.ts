import { wordsFor } from '../../../src/kernels';
import { KernelSet, RANDOM_WIDTHS, expectedAnd, expectedXnor, randomBits, randomMatrix, refKernels, tailIsZero, tsKernels, wasmKernels } from './kernel-sets';

describe.each<KernelSet>([tsKernels, wasmKernels, refKernels])('matrix kernels ($name)', (k) => {
  test('exhaustive: every matrix and x with rows * n <= 6 weight bits', () => {
    for (const [rows, maxN] of [[1, 6], [2, 3], [3, 2], [6, 1]] as const) {
      for (let n = 1; n <= maxN; n++) {
        const all = 1 << n;
        for (let x = 0; x < all; x++) {
          const xv = new Uint32Array([x]);
          const xBits = Array.from({ length: n }, (_, i) => (x >> i) & 1);
          for (let m = 0; m < 1 << (rows * n); m++) {
            const W = new Uint32Array(rows);
            for (let r = 0; r < rows; r++) W[r] = (m >> (r * n)) & (all - 1);
            const got = [new Int32Array(rows), new Int32Array(rows)] as const;
            k.matVecXnor(W, rows, n, xv, got[0]);
            k.matVecAnd(W, rows, n, xv, got[1]);
            const want = [new Int32Array(rows), new Int32Array(rows)] as const;
            for (let r = 0; r < rows; r++) {
              const wBits = Array.from({ length: n }, (_, i) => ((W[r] as number) >> i) & 1);
              want[0][r] = expectedXnor(wBits, xBits);
              want[1][r] = expectedAnd(wBits, xBits);
            }
            if (got[0].join() !== want[0].join() || got[1].join() !== want[1].join()) {
              expect({ rows, n, m, x, got }).toEqual({ rows, n, m, x, got: want });
            }
          }
        }
      }
    }
  });

  test.each([...RANDOM_WIDTHS, 350])('mat-vec on a random 37 x %i matrix', (n) => {
    const { packed, bits } = randomMatrix(37, n, `W${n}`);
    for (const density of [0.1, 0.5, 0.9]) {
      const x = randomBits(n, `x${n}:${density}`, density);
      const xv = new Uint32Array(wordsFor(n));
      tsKernels.pack(x, xv);
      const outX = new Int32Array(37);
      const outA = new Int32Array(37);
      k.matVecXnor(packed, 37, n, xv, outX);
      k.matVecAnd(packed, 37, n, xv, outA);
      for (let r = 0; r < 37; r++) {
        expect(outX[r]).toBe(expectedXnor(bits[r] as Uint8Array, x));
        expect(outA[r]).toBe(expectedAnd(bits[r] as Uint8Array, x));
      }
    }
  });

  test.each([...RANDOM_WIDTHS, 960, 993])('all-ones and all-zero rows of %i bits (popcount accumulators at their maximum)', (n) => {
    const nWords = wordsFor(n);
    const ones = tsKernels.pack(new Array<number>(n).fill(1));
    const W = new Uint32Array(2 * nWords);
    W.set(ones, 0);
    const outX = new Int32Array(2);
    const outA = new Int32Array(2);
    k.matVecXnor(W, 2, n, new Uint32Array(nWords), outX);
    k.matVecAnd(W, 2, n, ones, outA);
    expect(Array.from(outX)).toEqual([-n, n]);
    expect(Array.from(outA)).toEqual([n, -n]);
    k.matVecXnor(W, 2, n, ones, outX);
    expect(Array.from(outX)).toEqual([n, -n]);
  });

  test.each([
    [1, 1], [1, 33], [33, 1], [31, 32], [32, 31], [37, 100], [100, 37], [64, 64], [10, 784], [33, 2048],
  ])('transpose of a random %i x %i matrix', (rows, cols) => {
    const { packed, bits } = randomMatrix(rows, cols, `T${rows}x${cols}`);
    const t = k.transposeBits(packed, rows, cols);
    const tw = wordsFor(rows);
    expect(t.length).toBe(cols * tw);
    const want = new Uint32Array(cols * tw);
    for (let c = 0; c < cols; c++) {
      expect(tailIsZero(t, c * tw, rows)).toBe(true);
      tsKernels.pack(bits.map((b) => b[c] as number), want.subarray(c * tw, (c + 1) * tw));
    }
    expect(Array.from(t)).toEqual(Array.from(want));
    // Transposing twice gives the matrix back, padding included.
    expect(Array.from(k.transposeBits(t, cols, rows))).toEqual(Array.from(packed));
  });

  test('the transposed product gives the backward term sum_r W[r][c] * y[r]', () => {
    const rows = 45;
    const cols = 70;
    const { packed, bits } = randomMatrix(rows, cols, 'back');
    const y = randomBits(rows, 'y');
    const yv = tsKernels.pack(y);
    const out = new Int32Array(cols);
    k.matVecXnor(k.transposeBits(packed, rows, cols), cols, rows, yv, out);
    for (let c = 0; c < cols; c++) {
      expect(out[c]).toBe(expectedXnor(bits.map((b) => b[c] as number), y));
    }
  });
});
