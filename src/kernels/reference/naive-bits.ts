/**
 * Naive bit-by-bit reference oracles for the packed-vector helpers and dot products.
 * They read one bit at a time and apply the defining formulas literally:
 *   spin value s(b) = 2b - 1;  dotXnor = sum_i s(a_i) s(b_i);  dotAnd = sum_i x_i s(w_i).
 * Slow on purpose: their only job is to be obviously right.
 */

/** Bit i of v, read with division and remainder rather than shifts. */
export function refGetBit(v: Uint32Array, i: number): number {
  return Math.floor((v[Math.floor(i / 32)] as number) / 2 ** (i % 32)) % 2;
}

/** Set bit i of v to b (nonzero -> 1) with arithmetic on the word's value. */
export function refSetBit(v: Uint32Array, i: number, b: number): void {
  const k = Math.floor(i / 32);
  const cur = refGetBit(v, i);
  const want = b !== 0 ? 1 : 0;
  v[k] = (v[k] as number) + (want - cur) * 2 ** (i % 32);
}

/** Words for n bits by counting. */
export function refWordsFor(nBits: number): number {
  return Math.ceil(nBits / 32);
}

/** Pack bits one at a time. */
export function refPack(bits: ArrayLike<number>, out?: Uint32Array): Uint32Array {
  const v = out ?? new Uint32Array(refWordsFor(bits.length));
  v.fill(0, 0, refWordsFor(bits.length));
  for (let i = 0; i < bits.length; i++) refSetBit(v, i, bits[i] as number);
  return v;
}

/** Unpack bits one at a time. */
export function refUnpack(v: Uint32Array, n: number, out?: Uint8Array): Uint8Array {
  const bits = out ?? new Uint8Array(n);
  for (let i = 0; i < n; i++) bits[i] = refGetBit(v, i);
  return bits;
}

/** Count set bits of a 32-bit word one bit at a time. */
export function refPopcount32(x: number): number {
  let s = 0;
  const u = x >>> 0;
  for (let b = 0; b < 32; b++) s += Math.floor(u / 2 ** b) % 2;
  return s;
}

/** Count set bits of words v[off .. off + nWords - 1]. */
export function refPopcountVec(v: Uint32Array, off: number, nWords: number): number {
  let s = 0;
  for (let k = 0; k < nWords; k++) s += refPopcount32(v[off + k] as number);
  return s;
}

/** sum over i < n of s(a_i) * s(b_i) with s(b) = 2b - 1. */
export function refDotXnor(a: Uint32Array, aOff: number, b: Uint32Array, bOff: number, nBits: number): number {
  let s = 0;
  for (let i = 0; i < nBits; i++) {
    s += (2 * refGetBit(a.subarray(aOff), i) - 1) * (2 * refGetBit(b.subarray(bOff), i) - 1);
  }
  return s;
}

/** sum over i < n of x_i * s(w_i) with x in {0, 1}, s(w) = 2w - 1. */
export function refDotAnd(w: Uint32Array, wOff: number, x: Uint32Array, xOff: number, nBits: number): number {
  let s = 0;
  for (let i = 0; i < nBits; i++) {
    s += refGetBit(x.subarray(xOff), i) * (2 * refGetBit(w.subarray(wOff), i) - 1);
  }
  return s;
}
