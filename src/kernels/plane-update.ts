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

// Scratch planes of one word (register bits 0..7): the kernel does not allocate.
const H = new Int32Array(8);
const N = new Int32Array(8);
const A = new Int32Array(8);

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
  const b = rule.bits;
  const top = b - 1;
  const leak = rule.leakShift;
  const onChange = rule.flipOnChangeOnly;
  // Constants as b-bit patterns; comparisons run on offset binary (sign plane inverted).
  const mask = (1 << b) - 1;
  const hiBits = rule.hi & mask;
  const loBits = rule.lo & mask;
  const half = 1 << top;
  const gtC = rule.theta + half; // H > theta  <=> offset(H) > theta + 2^(b-1)
  const ltC = half - rule.theta; // H < -theta <=> offset(H) < 2^(b-1) - theta
  const nWords = (nBits + 31) >>> 5;
  const lastMask = (nBits & 31) === 0 ? -1 : (1 << (nBits & 31)) - 1;
  let changed = 0;
  let flipped = 0;
  let clipped = 0;
  for (let k = 0; k < nWords; k++) {
    let up = inc[mOff + k] as number;
    let down = dec[mOff + k] as number;
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
    let at = pOff + k;
    for (let p = 0; p < b; p++) {
      H[p] = planes[at] as number;
      at += planeStride;
    }
    if (leak !== 0) {
      // L = H + (H >= 0 ? -(|H| >> s) : (|H| >> s)); |H| as an unsigned b-bit number.
      const neg = H[top] as number;
      let carry = neg;
      for (let p = 0; p < b; p++) {
        const x = (H[p] as number) ^ neg;
        A[p] = x ^ carry;
        carry &= x;
      }
      // addend = (|H| >> s) XOR pos, carry-in pos (two's complement negate where H >= 0).
      const pos = ~neg;
      carry = pos;
      for (let p = 0; p < b; p++) {
        const m = (p + leak < b ? (A[p + leak] as number) : 0) ^ pos;
        const h = H[p] as number;
        N[p] = h ^ m ^ carry;
        carry = (h & m) | (carry & (h ^ m));
      }
    } else for (let p = 0; p < b; p++) N[p] = H[p] as number;
    // Equality with the bounds on the (leaked) registers: those contributions are clipped.
    let eqHi = -1;
    let eqLo = -1;
    for (let p = 0; p < b; p++) {
      const x = N[p] as number;
      eqHi &= (hiBits >>> p) & 1 ? x : ~x;
      eqLo &= (loBits >>> p) & 1 ? x : ~x;
    }
    const upClip = up & eqHi;
    const downClip = down & eqLo;
    if ((upClip | downClip) !== 0) clipped += popcount32(upClip) + popcount32(downClip);
    let c = up & ~eqHi;
    let d = down & ~eqLo;
    let diff = 0;
    for (let p = 0; p < b; p++) {
      const x = N[p] as number;
      const y = x ^ (c | d);
      c &= x;
      d &= ~x;
      N[p] = y;
      diff |= y ^ (H[p] as number);
    }
    diff &= valid;
    if (diff !== 0) {
      changed += popcount32(diff);
      at = pOff + k;
      for (let p = 0; p < b; p++) {
        planes[at] = ((H[p] as number) & ~diff) | ((N[p] as number) & diff);
        at += planeStride;
      }
    }
    const m = onChange ? diff : touched;
    if (m === 0) continue;
    // Unsigned comparisons of offset(N) with the constants, from the top plane down.
    let gt = 0;
    let lt = 0;
    let eqG = -1;
    let eqL = -1;
    for (let p = top; p >= 0; p--) {
      const x = p === top ? ~(N[p] as number) : (N[p] as number);
      if ((gtC >>> p) & 1) eqG &= x;
      else {
        gt |= eqG & x;
        eqG &= ~x;
      }
      if ((ltC >>> p) & 1) {
        lt |= eqL & ~x;
        eqL &= x;
      } else eqL &= ~x;
    }
    const w = weights[wOff + k] as number;
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
