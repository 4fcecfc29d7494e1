/**
 * Population count: number of set bits, by the SWAR (SIMD-within-a-register)
 * reduction of Hacker's Delight 5-1: 2-bit, 4-bit, 8-bit partial sums, then one
 * multiply gathers the four byte sums into the top byte.
 */

/** Number of set bits of the 32-bit word `x`. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of set bits in words v[off .. off + nWords - 1]. */
export function popcountVec(v: Uint32Array, off: number, nWords: number): number {
  let s = 0;
  const end = off + nWords;
  for (let k = off; k < end; k++) {
    let x = v[k] as number;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    s += Math.imul(x, 0x01010101) >>> 24;
  }
  return s;
}
