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

/**
 * The learning registers of a rows x nBits segment at their declared width, as
 * bit-planes in the layout above (bits planes of planeWords(nBits) words per row).
 * Everything that reads or writes single registers (loading and saving snapshots,
 * fault injection, checks) goes through get/set/planeWordIndex; the row kernels work
 * on `words` at rowOffset(r) with plane stride `planeStride`.
 */
export class RegisterPlanes {
  readonly rows: number;
  readonly nBits: number;
  /** Register width: the number of planes. */
  readonly bits: number;
  /** Words of one plane of one row. */
  readonly planeStride: number;
  /** Words of one row (all its planes). */
  readonly rowWords: number;
  readonly words: Uint32Array;

  /** `words`, when given, is the storage to use (e.g. a view of a WebAssembly memory), at least rows * bits * planeWords(nBits) words, zeroed. */
  constructor(rows: number, nBits: number, bits: number, words?: Uint32Array) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 8) throw new RangeError(`register width must be 1..8 bits, got ${bits}`);
    this.rows = rows;
    this.nBits = nBits;
    this.bits = bits;
    this.planeStride = nBits > 0 ? planeWords(nBits) : 0;
    this.rowWords = bits * this.planeStride;
    const need = rows * this.rowWords;
    if (words !== undefined && words.length < need) throw new RangeError(`RegisterPlanes: storage of ${words.length} words, ${need} needed`);
    this.words = words ?? new Uint32Array(need);
  }

  /** First word of row r's planes. */
  rowOffset(r: number): number {
    return r * this.rowWords;
  }

  /** Word index of bit p of register (r, j); the bit within the word is j & 31. */
  planeWordIndex(r: number, j: number, p: number): number {
    return r * this.rowWords + p * this.planeStride + (j >>> 5);
  }

  /** Register (r, j) as a signed value. */
  get(r: number, j: number): number {
    const b = this.bits;
    let at = r * this.rowWords + (j >>> 5);
    const s = j & 31;
    let h = 0;
    for (let p = 0; p < b; p++) {
      h |= (((this.words[at] as number) >>> s) & 1) << p;
      at += this.planeStride;
    }
    return (h << (32 - b)) >> (32 - b);
  }

  /** Write register (r, j) (its low `bits` bits, two's complement). */
  set(r: number, j: number, v: number): void {
    const b = this.bits;
    let at = r * this.rowWords + (j >>> 5);
    const m = 1 << (j & 31);
    for (let p = 0; p < b; p++) {
      this.words[at] = (v >> p) & 1 ? (this.words[at] as number) | m : (this.words[at] as number) & ~m;
      at += this.planeStride;
    }
  }

  /** Write row r's registers from src[off], src[off + step], ... (nBits values; whole-row load, sparse in nonzero values). */
  writeRow(r: number, src: Int32Array, off: number, step: number): void {
    const base = r * this.rowWords;
    const b = this.bits;
    const ps = this.planeStride;
    const words = this.words;
    words.fill(0, base, base + this.rowWords);
    for (let j = 0, at = off; j < this.nBits; j++, at += step) {
      const v = src[at] as number;
      if (v === 0) continue;
      const m = 1 << (j & 31);
      let w = base + (j >>> 5);
      for (let p = 0; p < b; p++, w += ps) if ((v >> p) & 1) words[w] = (words[w] as number) | m;
    }
  }

  /** Write row r's nBits registers as signed values into dst[off..] (whole-row read, sparse in set bits). */
  readRow(r: number, dst: Int32Array, off: number): void {
    const b = this.bits;
    const nWords = (this.nBits + 31) >>> 5;
    const words = this.words;
    dst.fill(0, off, off + this.nBits);
    for (let p = 0; p < b; p++) {
      // two's complement: the sign plane weighs -2^(b-1)
      const weight = p === b - 1 ? -(1 << p) : 1 << p;
      const at = r * this.rowWords + p * this.planeStride;
      for (let k = 0; k < nWords; k++) {
        let w = words[at + k] as number;
        while (w !== 0) {
          const i = 31 - Math.clz32(w & -w);
          w &= w - 1;
          dst[off + (k << 5) + i] = (dst[off + (k << 5) + i] as number) + weight;
        }
      }
    }
  }

  /** Bytes of the storage. */
  get byteLength(): number {
    return this.words.byteLength;
  }
}
