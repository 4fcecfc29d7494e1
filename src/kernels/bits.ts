/**
 * Bit-packed vectors: bit i of a vector lives in word i >>> 5 at position i & 31
 * (least significant bit first). Bits at positions >= n (the tail of the last word)
 * are always zero, and every kernel keeps them so.
 */

/** Number of 32-bit words that hold `nBits` bits: ceil(nBits / 32). */
export function wordsFor(nBits: number): number {
  return (nBits + 31) >>> 5;
}

/** Mask of the valid bits in the last word of an `nBits`-bit vector (all ones when nBits is a multiple of 32). */
export function tailMask(nBits: number): number {
  const r = nBits & 31;
  return r === 0 ? 0xffffffff : ((1 << r) - 1) >>> 0;
}

/** Pack one value per bit (nonzero -> 1) into words; `out` (if given) must hold wordsFor(bits.length) words. */
export function pack(bits: ArrayLike<number>, out?: Uint32Array): Uint32Array {
  const n = bits.length;
  const nWords = wordsFor(n);
  const v = out ?? new Uint32Array(nWords);
  if (v.length < nWords) throw new RangeError(`pack: output holds ${v.length} words, ${nWords} needed`);
  v.fill(0, 0, nWords);
  for (let i = 0; i < n; i++) {
    if (bits[i] !== 0) v[i >>> 5] = (v[i >>> 5] as number) | (1 << (i & 31));
  }
  return v;
}

/** Unpack the first `n` bits of `v` into one byte (0 or 1) per bit; `out` (if given) must hold n bytes. */
export function unpack(v: Uint32Array, n: number, out?: Uint8Array): Uint8Array {
  const bits = out ?? new Uint8Array(n);
  if (bits.length < n) throw new RangeError(`unpack: output holds ${bits.length} bytes, ${n} needed`);
  for (let i = 0; i < n; i++) bits[i] = ((v[i >>> 5] as number) >>> (i & 31)) & 1;
  return bits;
}

/** Bit `i` of `v` (0 or 1). */
export function getBit(v: Uint32Array, i: number): number {
  return ((v[i >>> 5] as number) >>> (i & 31)) & 1;
}

/** Set bit `i` of `v` to `b` (nonzero -> 1); the caller keeps i < n so the tail stays zero. */
export function setBit(v: Uint32Array, i: number, b: number): void {
  const k = i >>> 5;
  const m = 1 << (i & 31);
  v[k] = b !== 0 ? (v[k] as number) | m : (v[k] as number) & ~m;
}
