/**
 * Matrix-vector products over a row-major packed binary matrix W (rows x nBits,
 * each row padded to wordsFor(nBits) words, tail bits zero):
 *   matVecXnor: out[r] = n - 2 * popcount(W_r XOR x)            (spin encoding)
 *   matVecAnd:  out[r] = 2 * popcount(W_r AND x) - popcount(x)   ({0,1} activations)
 * The transposed product W^T y is matVec over the copy made by transposeBits.
 */

/** Spin (XNOR-popcount) product: out[r] = dotXnor(row r of W, x) for r < rows. */
export function matVecXnor(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void {
  const nWords = (nBits + 31) >>> 5;
  let base = 0;
  for (let r = 0; r < rows; r++) {
    let h = 0;
    for (let k = 0; k < nWords; k++) {
      let v = ((W[base + k] as number) ^ (x[k] as number)) >>> 0;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      v = (v + (v >>> 4)) & 0x0f0f0f0f;
      h += Math.imul(v, 0x01010101) >>> 24;
    }
    out[r] = nBits - 2 * h;
    base += nWords;
  }
}

/** {0,1}-activation (AND-popcount) product: out[r] = dotAnd(row r of W, x) for r < rows. */
export function matVecAnd(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void {
  const nWords = (nBits + 31) >>> 5;
  let ones = 0;
  for (let k = 0; k < nWords; k++) {
    let v = x[k] as number;
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    v = (v + (v >>> 4)) & 0x0f0f0f0f;
    ones += Math.imul(v, 0x01010101) >>> 24;
  }
  let base = 0;
  for (let r = 0; r < rows; r++) {
    let both = 0;
    for (let k = 0; k < nWords; k++) {
      let v = (W[base + k] as number) & (x[k] as number);
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      v = (v + (v >>> 4)) & 0x0f0f0f0f;
      both += Math.imul(v, 0x01010101) >>> 24;
    }
    out[r] = 2 * both - ones;
    base += nWords;
  }
}
