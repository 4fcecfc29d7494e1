/**
 * Increment/decrement masks of the EP plasticity rule for one post-synaptic neuron i
 * over its pre-synaptic vector j (n bits):
 *   c_j = sgn(beta) * sign(xb_i xb_j - x0_i x0_j) in {-1, 0, +1}
 * with products of spins (bit 1 = +1, bit 0 = -1: product bit = xi XNOR xj) or of
 * {0,1} bits (product bit = xi AND xj). With Pb, P0 the product bits of the nudged
 * and free phases, up = Pb AND NOT P0, down = P0 AND NOT Pb; inc/dec are up/down for
 * beta > 0 and swapped for beta < 0. Tail bits beyond n are cleared.
 */
import type { BitEncoding } from './counter-rule';
import { tailMask } from './bits';
import { popcount32 } from './popcount';

/**
 * Write the increment and decrement masks of one row into inc[mOff..] and dec[mOff..]
 * (wordsFor(nBits) words each) and return the number of nonzero contributions; betaSign is +1 or -1.
 */
export function plasticityMasks(
  preNudged: Uint32Array,
  preNudgedOff: number,
  preFree: Uint32Array,
  preFreeOff: number,
  nBits: number,
  postNudged: number,
  postFree: number,
  betaSign: number,
  encoding: BitEncoding,
  inc: Uint32Array,
  dec: Uint32Array,
  mOff: number,
): number {
  if (betaSign !== 1 && betaSign !== -1) throw new RangeError(`plasticityMasks: betaSign must be +1 or -1, got ${betaSign}`);
  const nWords = (nBits + 31) >>> 5;
  const spin = encoding === 'spin';
  // For spins, XOR with all-ones when the post bit is 0 turns x into (post XNOR x).
  const flipB = postNudged !== 0 ? 0 : -1;
  const flip0 = postFree !== 0 ? 0 : -1;
  const keepB = postNudged !== 0 ? -1 : 0;
  const keep0 = postFree !== 0 ? -1 : 0;
  const positive = betaSign > 0;
  const tail = tailMask(nBits) | 0;
  let nonzero = 0;
  for (let k = 0; k < nWords; k++) {
    const xb = preNudged[preNudgedOff + k] as number;
    const x0 = preFree[preFreeOff + k] as number;
    let pb: number;
    let p0: number;
    if (spin) {
      pb = xb ^ flipB;
      p0 = x0 ^ flip0;
    } else {
      pb = xb & keepB;
      p0 = x0 & keep0;
    }
    let up = pb & ~p0;
    let down = p0 & ~pb;
    if (k === nWords - 1) {
      up &= tail;
      down &= tail;
    }
    inc[mOff + k] = positive ? up : down;
    dec[mOff + k] = positive ? down : up;
    nonzero += popcount32(up | down);
  }
  return nonzero;
}

/**
 * Increment/decrement masks of the first-order EP contrast (`learning.contrast:
 * "first-order"`, {0,1} spikes) for one neuron i over a vector j (n bits):
 *   c_j = sgn(beta) * sign(x0_i (xa_j - xb_j) + x0_j (xa_i - xb_i))  in {-1, 0, +1}
 * with x0 the free phase, A and B the two phases the rule contrasts. It is the
 * derivative of the product x_i x_j around the free state (product rule) without the
 * second-order term (xa_i - x0_i)(xa_j - x0_j) - (xb_i - x0_i)(xb_j - x0_j) that the
 * product contrast xa_i xa_j - xb_i xb_j keeps; c is symmetric in (i, j), so both
 * stored copies of a synapse get the same contribution. Word-parallel: with
 * up = A AND NOT B and dn = B AND NOT A (kept only where x0_i = 1) and F = x0_j,
 * d = xa_i - xb_i:  d = 0: inc = up, dec = dn;  d = +1: inc = (F AND NOT dn) OR (NOT F
 * AND up), dec = NOT F AND dn;  d = -1 mirrored. Swapped for beta < 0; tail bits cleared.
 * Returns the number of nonzero contributions.
 */
export function firstOrderMasks(
  vA: Uint32Array,
  vB: Uint32Array,
  v0: Uint32Array,
  nBits: number,
  ownA: number,
  ownB: number,
  own0: number,
  betaSign: number,
  inc: Uint32Array,
  dec: Uint32Array,
  mOff: number,
): number {
  if (betaSign !== 1 && betaSign !== -1) throw new RangeError(`firstOrderMasks: betaSign must be +1 or -1, got ${betaSign}`);
  const nWords = (nBits + 31) >>> 5;
  const pf = own0 !== 0 ? -1 : 0;
  const d = ownA - ownB;
  const positive = betaSign > 0;
  const tail = tailMask(nBits) | 0;
  let nonzero = 0;
  for (let k = 0; k < nWords; k++) {
    const a = vA[k] as number;
    const b = vB[k] as number;
    const f = v0[k] as number;
    const up = a & ~b & pf;
    const dn = b & ~a & pf;
    let i: number;
    let o: number;
    if (d === 0) {
      i = up;
      o = dn;
    } else if (d > 0) {
      i = (f & ~dn) | (~f & up);
      o = ~f & dn;
    } else {
      o = (f & ~up) | (~f & dn);
      i = ~f & up;
    }
    if (k === nWords - 1) {
      i &= tail;
      o &= tail;
    }
    inc[mOff + k] = positive ? i : o;
    dec[mOff + k] = positive ? o : i;
    nonzero += popcount32(i | o);
  }
  return nonzero;
}
