/**
 * Bit-sliced update of one row of small signed learning registers held as bit-planes
 * (layout of ./bit-planes.ts: plane p of the row at pOff + p * planeWords(nBits), bit j
 * of it is bit p of register j, plane bits - 1 the sign), 32 synapses per word:
 *   touched = inc | dec          (every valid bit when the leak is on)
 *   H <- H - sign(H) * (|H| >> leakShift)           (leakShift > 0: conditional negate,
 *                                                    plane shift, full adder)
 *   H <- H + 1 where inc and H != hi ; H - 1 where dec and H != lo
 *                                                   (ripple carry through 1s / borrow
 *                                                    through 0s; H == hi and H == lo are
 *                                                    equality masks with the constants)
 *   w <- 1 where H > theta, 0 where H < -theta       (on touched synapses, or only on
 *                                                    those whose register changed)
 * An increment blocked at hi (or decrement at lo) is a clipped update. This equals the
 * per-synapse saturating update of ./counter-update.ts for hi = 2^(b-1) - 1,
 * lo = -2^(b-1), and serves the hidden-weight rule with hi = R, lo = -R, theta = 0.
 */
import type { PlasticityTally } from './counter-rule';
import { popcount32 } from './popcount';

/** Constants of a bit-sliced register update (one per rule and layer, built once). */
export interface PlaneRule {
  /** Register width b: number of planes (2..8). */
  readonly bits: number;
  /** Saturation bounds, lo <= 0 <= hi, both representable in b-bit two's complement. */
  readonly hi: number;
  readonly lo: number;
  /** Hysteresis threshold: w -> 1 when H > theta, 0 when H < -theta. */
  readonly theta: number;
  /** Shift leak applied first to every valid synapse of the row; 0 = none. */
  readonly leakShift: number;
  /** true: weights follow only registers that changed (hidden, stochastic rules); false: every touched synapse (counter rule). */
  readonly flipOnChangeOnly: boolean;
}

/** Check that a PlaneRule fits the kernel (RangeError otherwise); configs are validated earlier with UserErrors. */
export function checkPlaneRule(r: PlaneRule): void {
  const { bits, hi, lo, theta, leakShift } = r;
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new RangeError(`register width must be 2..8 bits, got ${bits}`);
  const max = (1 << (bits - 1)) - 1;
  if (!Number.isInteger(hi) || hi < 0 || hi > max) throw new RangeError(`hi must be in 0..${max}, got ${hi}`);
  if (!Number.isInteger(lo) || lo > 0 || lo < -max - 1) throw new RangeError(`lo must be in ${-max - 1}..0, got ${lo}`);
  if (!Number.isInteger(theta) || theta < 0 || theta > max) throw new RangeError(`theta must be in 0..${max}, got ${theta}`);
  if (!Number.isInteger(leakShift) || leakShift < 0 || leakShift > 7) throw new RangeError(`leakShift must be 0..7, got ${leakShift}`);
}

// Scratch of the leak's plane shift: the kernel does not allocate.
const A = new Int32Array(16);
const L = new Int32Array(8);

/** Bit p of v as a full-word mask. */
function bitMask(v: number, p: number): number {
  return -((v >>> p) & 1);
}

/** L[0..7] = leak(H) for 8-bit sign-extended planes h0..h7: H - sign(H) * (|H| >> s). */
function leakPlanes(h0: number, h1: number, h2: number, h3: number, h4: number, h5: number, h6: number, h7: number, s: number): void {
  // |H| as an unsigned 8-bit number (conditional negate: XOR with the sign, +1 where negative).
  const neg = h7;
  let carry = neg;
  let x = h0 ^ neg; A[0] = x ^ carry; carry &= x;
  x = h1 ^ neg; A[1] = x ^ carry; carry &= x;
  x = h2 ^ neg; A[2] = x ^ carry; carry &= x;
  x = h3 ^ neg; A[3] = x ^ carry; carry &= x;
  x = h4 ^ neg; A[4] = x ^ carry; carry &= x;
  x = h5 ^ neg; A[5] = x ^ carry; carry &= x;
  x = h6 ^ neg; A[6] = x ^ carry; carry &= x;
  x = h7 ^ neg; A[7] = x ^ carry;
  // H + ((|H| >> s) XOR pos) + pos: adds |H| >> s where H < 0, subtracts it where H >= 0.
  const pos = ~neg;
  carry = pos;
  for (let p = 0; p < 8; p++) {
    const h = p === 0 ? h0 : p === 1 ? h1 : p === 2 ? h2 : p === 3 ? h3 : p === 4 ? h4 : p === 5 ? h5 : p === 6 ? h6 : h7;
    const m = (A[p + s] as number) ^ pos;
    L[p] = h ^ m ^ carry;
    carry = (h & m) | (carry & (h ^ m));
  }
}

/**
 * Update the nBits registers of one row (planes at planes[pOff..], plane stride
 * `planeStride` words) and its weight bits at weights[wOff..] from masks inc[mOff..],
 * dec[mOff..] (a bit set in both is no change); `accept`, when not null, is called per
 * touched word and returns the bits whose contribution enters the register (the
 * stochastic rule's draw); adds changed registers, flipped weights and clipped updates to `tally`.
 */
export function updateRowPlanes(
  weights: Uint32Array,
  wOff: number,
  planes: Uint32Array,
  pOff: number,
  planeStride: number,
  nBits: number,
  inc: Uint32Array,
  dec: Uint32Array,
  mOff: number,
  rule: PlaneRule,
  tally: PlasticityTally,
  accept: ((word: number, touched: number) => number) | null,
): void {
  // The arithmetic runs on 8 planes, the b stored ones sign-extended (plane p >= b repeats
  // plane b - 1): every value stays in the b-bit range, so the 8-bit results are the b-bit
  // ones sign-extended, and the loop has no per-width branches besides loads and stores.
  const b = rule.bits;
  const leak = rule.leakShift;
  const onChange = rule.flipOnChangeOnly;
  // Bound patterns (8-bit two's complement) and comparison constants on offset binary
  // (x XOR 0x80): H > theta <=> off(H) > theta + 128 ; H < -theta <=> off(H) < 128 - theta.
  const hi = rule.hi & 255;
  const lo = rule.lo & 255;
  const gtC = rule.theta + 128;
  const ltC = 128 - rule.theta;
  const hi0 = bitMask(hi, 0), hi1 = bitMask(hi, 1), hi2 = bitMask(hi, 2), hi3 = bitMask(hi, 3);
  const hi4 = bitMask(hi, 4), hi5 = bitMask(hi, 5), hi6 = bitMask(hi, 6), hi7 = bitMask(hi, 7);
  const lo0 = bitMask(lo, 0), lo1 = bitMask(lo, 1), lo2 = bitMask(lo, 2), lo3 = bitMask(lo, 3);
  const lo4 = bitMask(lo, 4), lo5 = bitMask(lo, 5), lo6 = bitMask(lo, 6), lo7 = bitMask(lo, 7);
  const g0 = bitMask(gtC, 0), g1 = bitMask(gtC, 1), g2 = bitMask(gtC, 2), g3 = bitMask(gtC, 3);
  const g4 = bitMask(gtC, 4), g5 = bitMask(gtC, 5), g6 = bitMask(gtC, 6), g7 = bitMask(gtC, 7);
  const l0 = bitMask(ltC, 0), l1 = bitMask(ltC, 1), l2 = bitMask(ltC, 2), l3 = bitMask(ltC, 3);
  const l4 = bitMask(ltC, 4), l5 = bitMask(ltC, 5), l6 = bitMask(ltC, 6), l7 = bitMask(ltC, 7);
  const s1 = planeStride, s2 = 2 * planeStride, s3 = 3 * planeStride, s4 = 4 * planeStride;
  const s5 = 5 * planeStride, s6 = 6 * planeStride, s7 = 7 * planeStride;
  const nWords = (nBits + 31) >>> 5;
  const lastMask = (nBits & 31) === 0 ? -1 : (1 << (nBits & 31)) - 1;
  let changed = 0;
  let flipped = 0;
  let clipped = 0;
  for (let k = 0; k < nWords; k++) {
    let up = (inc[mOff + k] as number) | 0;
    let down = (dec[mOff + k] as number) | 0;
    const valid = k === nWords - 1 ? lastMask : -1;
    let touched = leak !== 0 ? valid : (up | down) & valid;
    if (touched === 0) continue;
    if (accept !== null) {
      touched &= accept(k, touched);
      if (touched === 0) continue;
    }
    // Opposite contributions on one synapse cancel (H + 1 - 1); the synapse stays touched.
    const both = up & down;
    up &= touched & ~both;
    down &= touched & ~both;
    const at = pOff + k;
    const rest = touched & ((touched - 1) | 0);
    if (leak === 0 && (rest & ((rest - 1) | 0)) === 0) {
      // One or two touched synapses (the common case late in EP training, when the phases
      // differ in few spikes): the same update per synapse on its b plane bits is cheaper
      // than the word-wide pass. Same results (planes.test.ts covers sparse words).
      let todo = touched;
      let w = (weights[wOff + k] as number) | 0;
      const w0 = w;
      while (todo !== 0) {
        const bit = todo & ((0 - todo) | 0);
        todo ^= bit;
        const i = 31 - Math.clz32(bit);
        let v = 0;
        for (let p = 0, q = at; p < b; p++, q += planeStride) v |= (((planes[q] as number) >>> i) & 1) << p;
        v = (v << (32 - b)) >> (32 - b);
        const h0 = v;
        if ((up & bit) !== 0) {
          if (v === rule.hi) clipped++;
          else v++;
        } else if ((down & bit) !== 0) {
          if (v === rule.lo) clipped++;
          else v--;
        }
        if (v !== h0) {
          changed++;
          const x = v ^ h0;
          for (let p = 0, q = at; p < b; p++, q += planeStride) if ((x >> p) & 1) planes[q] = (planes[q] as number) ^ bit;
        } else if (onChange) continue;
        if (v > rule.theta) w |= bit;
        else if (v < -rule.theta) w &= ~bit;
      }
      if (w !== w0) {
        flipped += popcount32(w ^ w0);
        weights[wOff + k] = w;
      }
      continue;
    }
    const h0 = planes[at] as number;
    const h1 = planes[at + s1] as number;
    const h2 = b > 2 ? (planes[at + s2] as number) : h1;
    const h3 = b > 3 ? (planes[at + s3] as number) : h2;
    const h4 = b > 4 ? (planes[at + s4] as number) : h3;
    const h5 = b > 5 ? (planes[at + s5] as number) : h4;
    const h6 = b > 6 ? (planes[at + s6] as number) : h5;
    const h7 = b > 7 ? (planes[at + s7] as number) : h6;
    let n0 = h0, n1 = h1, n2 = h2, n3 = h3, n4 = h4, n5 = h5, n6 = h6, n7 = h7;
    if (leak !== 0) {
      leakPlanes(h0, h1, h2, h3, h4, h5, h6, h7, leak);
      n0 = L[0] as number; n1 = L[1] as number; n2 = L[2] as number; n3 = L[3] as number;
      n4 = L[4] as number; n5 = L[5] as number; n6 = L[6] as number; n7 = L[7] as number;
    }
    // Equality with the bounds on the (leaked) registers: those contributions are clipped.
    const eqHi = ~((n0 ^ hi0) | (n1 ^ hi1) | (n2 ^ hi2) | (n3 ^ hi3) | (n4 ^ hi4) | (n5 ^ hi5) | (n6 ^ hi6) | (n7 ^ hi7));
    const eqLo = ~((n0 ^ lo0) | (n1 ^ lo1) | (n2 ^ lo2) | (n3 ^ lo3) | (n4 ^ lo4) | (n5 ^ lo5) | (n6 ^ lo6) | (n7 ^ lo7));
    const upClip = up & eqHi;
    const downClip = down & eqLo;
    if ((upClip | downClip) !== 0) clipped += popcount32(upClip) + popcount32(downClip);
    // +1 ripples a carry through 1s, -1 a borrow through 0s (c and d are disjoint).
    let c = up & ~eqHi;
    let d = down & ~eqLo;
    if ((c | d) !== 0) {
      let t = c | d;
      let x = n0; n0 = x ^ t; c &= x; d &= ~x; t = c | d;
      x = n1; n1 = x ^ t; c &= x; d &= ~x; t = c | d;
      x = n2; n2 = x ^ t; c &= x; d &= ~x; t = c | d;
      x = n3; n3 = x ^ t; c &= x; d &= ~x; t = c | d;
      x = n4; n4 = x ^ t; c &= x; d &= ~x; t = c | d;
      x = n5; n5 = x ^ t; c &= x; d &= ~x; t = c | d;
      x = n6; n6 = x ^ t; c &= x; d &= ~x; t = c | d;
      n7 ^= t;
    }
    const diff = ((n0 ^ h0) | (n1 ^ h1) | (n2 ^ h2) | (n3 ^ h3) | (n4 ^ h4) | (n5 ^ h5) | (n6 ^ h6) | (n7 ^ h7)) & valid;
    if (diff !== 0) {
      changed += popcount32(diff);
      const keep = ~diff;
      planes[at] = (h0 & keep) | (n0 & diff);
      planes[at + s1] = (h1 & keep) | (n1 & diff);
      if (b > 2) planes[at + s2] = (h2 & keep) | (n2 & diff);
      if (b > 3) planes[at + s3] = (h3 & keep) | (n3 & diff);
      if (b > 4) planes[at + s4] = (h4 & keep) | (n4 & diff);
      if (b > 5) planes[at + s5] = (h5 & keep) | (n5 & diff);
      if (b > 6) planes[at + s6] = (h6 & keep) | (n6 & diff);
      if (b > 7) planes[at + s7] = (h7 & keep) | (n7 & diff);
    }
    const m = onChange ? diff : touched;
    if (m === 0) continue;
    // Unsigned comparisons of off(N) with the constants from the top plane down: where the
    // constant's bit is 0 a 1 decides "greater", where it is 1 a 0 decides "less".
    let x = ~n7;
    let gt = x & ~g7;
    let eqG = ~(x ^ g7);
    let lt = ~x & l7;
    let eqL = ~(x ^ l7);
    x = n6; gt |= eqG & x & ~g6; eqG &= ~(x ^ g6); lt |= eqL & ~x & l6; eqL &= ~(x ^ l6);
    x = n5; gt |= eqG & x & ~g5; eqG &= ~(x ^ g5); lt |= eqL & ~x & l5; eqL &= ~(x ^ l5);
    x = n4; gt |= eqG & x & ~g4; eqG &= ~(x ^ g4); lt |= eqL & ~x & l4; eqL &= ~(x ^ l4);
    x = n3; gt |= eqG & x & ~g3; eqG &= ~(x ^ g3); lt |= eqL & ~x & l3; eqL &= ~(x ^ l3);
    x = n2; gt |= eqG & x & ~g2; eqG &= ~(x ^ g2); lt |= eqL & ~x & l2; eqL &= ~(x ^ l2);
    x = n1; gt |= eqG & x & ~g1; eqG &= ~(x ^ g1); lt |= eqL & ~x & l1; eqL &= ~(x ^ l1);
    x = n0; gt |= eqG & x & ~g0; lt |= eqL & ~x & l0;
    const w = (weights[wOff + k] as number) | 0;
    const nw = (w & ~(lt & m)) | (gt & m);
    if (nw !== w) {
      flipped += popcount32(nw ^ w);
      weights[wOff + k] = nw;
    }
  }
  tally.countersChanged += changed;
  tally.weightsFlipped += flipped;
  tally.countersSaturated += clipped;
}
