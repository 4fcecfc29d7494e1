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
      const r = nBits & 31;
      if (r !== 0) {
        const m = (1 << r) - 1;
        up &= m;
        down &= m;
      }
    }
    inc[mOff + k] = positive ? up : down;
    dec[mOff + k] = positive ? down : up;
    nonzero += popcount32(up | down);
  }
  return nonzero;
}
