/**
 * Naive reference oracles for the matrix kernels: one dot product per row through the
 * per-bit oracle, and a transpose that moves one bit at a time.
 */
import { refDotAnd, refDotXnor, refGetBit, refSetBit, refWordsFor } from './naive-bits';

/** out[r] = refDotXnor(row r, x). */
export function refMatVecXnor(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void {
  const nWords = refWordsFor(nBits);
  for (let r = 0; r < rows; r++) out[r] = refDotXnor(W, r * nWords, x, 0, nBits);
}

/** out[r] = refDotAnd(row r, x). */
export function refMatVecAnd(W: Uint32Array, rows: number, nBits: number, x: Uint32Array, out: Int32Array): void {
  const nWords = refWordsFor(nBits);
  for (let r = 0; r < rows; r++) out[r] = refDotAnd(W, r * nWords, x, 0, nBits);
}

/** Transpose by copying bit (r, c) to (c, r) one at a time. */
export function refTransposeBits(W: Uint32Array, rows: number, cols: number): Uint32Array {
  const inWords = refWordsFor(cols);
  const outWords = refWordsFor(rows);
  const out = new Uint32Array(cols * outWords);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const bit = refGetBit(W.subarray(r * inWords, (r + 1) * inWords), c);
      refSetBit(out.subarray(c * outWords, (c + 1) * outWords), r, bit);
    }
  }
  return out;
}
