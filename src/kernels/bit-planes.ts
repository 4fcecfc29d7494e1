/**
 * Bit-sliced counters: a layer's counters of b bits stored as b bit-planes in two's
 * complement, the way a counter SRAM beside the weight SRAM holds them (counterBits
 * words per weight word). Plane p of row r is planeWords(n) = 4 * ceil(wordsFor(n) / 4)
 * words at word index (r * b + p) * planeWords(n); bit j of it is bit p of counter
 * (r, j); plane b - 1 is the sign; padding bits are 0. The WebAssembly SIMD update
 * works 128 synapses at a time on this layout; these functions convert to and from
 * the byte-per-counter layout of the layer kernels (row r at r * counterStride(n)).
 */

/** Words per bit-plane of an n-synapse row: whole words rounded up to a multiple of 4 (one v128). */
export function planeWords(nBits: number): number {
  return ((((nBits + 31) >>> 5) + 3) >>> 2) << 2;
}

/** Words of bit-plane storage for a rows x nBits layer of counterBits-bit counters. */
export function bitPlaneWords(rows: number, nBits: number, counterBits: number): number {
  return rows * counterBits * planeWords(nBits);
}

/** Write the bit-planes of byte-per-counter layer counters (row stride counterStride(nBits)) into `planes`. */
export function toBitPlanes(counters: Int8Array, rows: number, nBits: number, counterBits: number, planes: Uint32Array): Uint32Array {
  const pw = planeWords(nBits);
  const stride = ((nBits + 31) >>> 5) << 5;
  if (planes.length < bitPlaneWords(rows, nBits, counterBits)) throw new RangeError(`toBitPlanes: planes hold ${planes.length} words, ${bitPlaneWords(rows, nBits, counterBits)} needed`);
  planes.fill(0, 0, bitPlaneWords(rows, nBits, counterBits));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < nBits; j++) {
      const h = counters[r * stride + j] as number;
      for (let p = 0; p < counterBits; p++) {
        if ((h >> p) & 1) {
          const at = (r * counterBits + p) * pw + (j >>> 5);
          planes[at] = (planes[at] as number) | (1 << (j & 31));
        }
      }
    }
  }
  return planes;
}

/** Write the byte-per-counter layer counters (row stride counterStride(nBits)) held by `planes` into `counters`. */
export function fromBitPlanes(planes: Uint32Array, rows: number, nBits: number, counterBits: number, counters: Int8Array): Int8Array {
  const pw = planeWords(nBits);
  const stride = ((nBits + 31) >>> 5) << 5;
  if (counters.length < rows * stride) throw new RangeError(`fromBitPlanes: counters hold ${counters.length} bytes, ${rows * stride} needed`);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < stride; j++) {
      let h = 0;
      if (j < nBits) {
        for (let p = 0; p < counterBits; p++) h |= (((planes[(r * counterBits + p) * pw + (j >>> 5)] as number) >>> (j & 31)) & 1) << p;
        // sign-extend from counterBits bits
        h = (h << (32 - counterBits)) >> (32 - counterBits);
      }
      counters[r * stride + j] = h;
    }
  }
  return counters;
}
