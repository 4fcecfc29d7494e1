/**
 * Transpose of a packed binary matrix, 32 x 32 bits at a time (the recursive block
 * swap of Hacker's Delight 7-3): at step j = 16, 8, 4, 2, 1 the top-right j x j
 * quadrant of every 2j x 2j block trades places with the bottom-left one, so five
 * steps of 32 word operations each replace 1024 single-bit moves.
 */

const block = new Uint32Array(32);

/** Transpose the 32 x 32 bit block in a[0..31] in place (bit c of a[r] <-> bit r of a[c]). */
export function transpose32(a: Uint32Array): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = (((a[k] as number) >>> j) ^ (a[k + j] as number)) & m;
      a[k] = (a[k] as number) ^ (t << j);
      a[k + j] = (a[k + j] as number) ^ t;
    }
  }
}

/**
 * Write into `out` the packed cols x rows transpose of the packed rows x cols matrix W
 * (rows padded to wordsFor(cols) words; out rows padded to wordsFor(rows) words).
 */
export function transposeBitsInto(W: Uint32Array, rows: number, cols: number, out: Uint32Array): Uint32Array {
  const inWords = (cols + 31) >>> 5;
  const outWords = (rows + 31) >>> 5;
  if (out.length < cols * outWords) throw new RangeError(`transposeBitsInto: output holds ${out.length} words, ${cols * outWords} needed`);
  for (let rb = 0; rb < outWords; rb++) {
    const r0 = rb << 5;
    const rEnd = Math.min(32, rows - r0);
    for (let cb = 0; cb < inWords; cb++) {
      for (let t = 0; t < 32; t++) block[t] = t < rEnd ? (W[(r0 + t) * inWords + cb] as number) : 0;
      transpose32(block);
      const c0 = cb << 5;
      const cEnd = Math.min(32, cols - c0);
      for (let t = 0; t < cEnd; t++) out[(c0 + t) * outWords + rb] = block[t] as number;
    }
  }
  return out;
}

/** The packed cols x rows transpose of the packed rows x cols matrix W, in a new array. */
export function transposeBits(W: Uint32Array, rows: number, cols: number): Uint32Array {
  return transposeBitsInto(W, rows, cols, new Uint32Array(cols * ((rows + 31) >>> 5)));
}
