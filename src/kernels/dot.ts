/**
 * Binary dot products over packed vectors of n bits.
 *   spin (XNOR):   s(b) = 2b - 1 in {-1, +1};  sum_i s(a_i) s(b_i) = n - 2 * popcount(a XOR b)
 *   binary (AND):  x in {0, 1}, w -> s(w);     sum_i x_i s(w_i)     = 2 * popcount(w AND x) - popcount(x)
 * Tail bits beyond n are zero in both operands, so they add nothing to either popcount.
 */

/** Spin dot product of the n-bit vectors at a[aOff..] and b[bOff..]: n - 2 * hamming(a, b). */
export function dotXnor(a: Uint32Array, aOff: number, b: Uint32Array, bOff: number, nBits: number): number {
  const nWords = (nBits + 31) >>> 5;
  let h = 0;
  for (let k = 0; k < nWords; k++) {
    let x = ((a[aOff + k] as number) ^ (b[bOff + k] as number)) >>> 0;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    h += Math.imul(x, 0x01010101) >>> 24;
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
    let y = (w[wOff + k] as number) & xv;
    y = y - ((y >>> 1) & 0x55555555);
    y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
    y = (y + (y >>> 4)) & 0x0f0f0f0f;
    both += Math.imul(y, 0x01010101) >>> 24;
    let z = xv;
    z = z - ((z >>> 1) & 0x55555555);
    z = (z & 0x33333333) + ((z >>> 2) & 0x33333333);
    z = (z + (z >>> 4)) & 0x0f0f0f0f;
    ones += Math.imul(z, 0x01010101) >>> 24;
  }
  return 2 * both - ones;
}
