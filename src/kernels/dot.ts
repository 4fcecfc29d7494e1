/**
 * Binary dot products over packed vectors of n bits.
 *   spin (XNOR):   s(b) = 2b - 1 in {-1, +1};  sum_i s(a_i) s(b_i) = n - 2 * popcount(a XOR b)
 *   binary (AND):  x in {0, 1}, w -> s(w);     sum_i x_i s(w_i)     = 2 * popcount(w AND x) - popcount(x)
 * Tail bits beyond n are zero in both operands, so they add nothing to either popcount.
 */
import { popcount32 } from './popcount';

/** Spin dot product of the n-bit vectors at a[aOff..] and b[bOff..]: n - 2 * hamming(a, b). */
export function dotXnor(a: Uint32Array, aOff: number, b: Uint32Array, bOff: number, nBits: number): number {
  const nWords = (nBits + 31) >>> 5;
  let h = 0;
  for (let k = 0; k < nWords; k++) {
    h += popcount32((a[aOff + k] as number) ^ (b[bOff + k] as number));
  }
  return nBits - 2 * h;
}

/** Dot product of {0,1} activations x[xOff..] with +-1 weights w[wOff..]: 2 * popcount(w AND x) - popcount(x). */
export function dotAnd(w: Uint32Array, wOff: number, x: Uint32Array, xOff: number, nBits: number): number {
  const nWords = (nBits + 31) >>> 5;
  let both = 0;
  let ones = 0;
  for (let k = 0; k < nWords; k++) {
    const xv = x[xOff + k] as number;
    both += popcount32((w[wOff + k] as number) & xv);
    ones += popcount32(xv);
  }
  return 2 * both - ones;
}
