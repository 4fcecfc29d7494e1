/**
 * Saturating counter update and hysteresis flip for one row of synapses j < n.
 * A synapse is touched when its contribution c_j = inc_j - dec_j is nonzero, or, when
 * the leak is on, always. For every touched synapse:
 *   H <- H - sign(H) * (|H| >> leakShift)        (only when leakShift > 0)
 *   H <- sat(H + c_j)                            (range of a counterBits-bit signed register;
 *                                                 a clipped update counts as a saturation)
 *   w_j <- +1 if H > theta;  -1 if H < -theta;  unchanged otherwise
 * Untouched synapses keep counter and weight, so hardware may skip the counter words of
 * an all-zero mask (and a row whose masks are all zero). Weight bit 1 = +1, bit 0 = -1.
 */
import { checkCounterRule, counterMax, counterMin, saturate } from './counter-rule';
import type { CounterRule, PlasticityTally } from './counter-rule';
import { popcount32 } from './popcount';

/**
 * Update the n counters at counters[cOff..] and weight bits at weights[wOff..] of one row
 * from masks inc[mOff..], dec[mOff..]; add the number of changed counters and flipped weights to `tally`.
 */
export function updateRowCounters(
  weights: Uint32Array,
  wOff: number,
  counters: Int8Array,
  cOff: number,
  nBits: number,
  inc: Uint32Array,
  dec: Uint32Array,
  mOff: number,
  rule: CounterRule,
  tally: PlasticityTally,
): void {
  checkCounterRule(rule);
  const hi = counterMax(rule.counterBits);
  const lo = counterMin(rule.counterBits);
  const theta = rule.theta;
  const leak = rule.leakShift;
  const nWords = (nBits + 31) >>> 5;
  const lastMask = (nBits & 31) === 0 ? -1 : (1 << (nBits & 31)) - 1;
  let changed = 0;
  let flipped = 0;
  let clipped = 0;
  for (let k = 0; k < nWords; k++) {
    const up = inc[mOff + k] as number;
    const down = dec[mOff + k] as number;
    // Touched bits of this word; with the leak on, every valid bit.
    let todo = leak !== 0 ? (k === nWords - 1 ? lastMask : -1) : up | down;
    if (todo === 0) continue;
    const w = weights[wOff + k] as number;
    let nw = w;
    const base = cOff + (k << 5);
    while (todo !== 0) {
      const b = 31 - Math.clz32(todo & -todo);
      todo &= todo - 1;
      const h0 = counters[base + b] as number;
      let h = h0;
      if (leak !== 0) h = h >= 0 ? h - (h >> leak) : h + (-h >> leak);
      const v = h + ((up >>> b) & 1) - ((down >>> b) & 1);
      h = saturate(v, lo, hi);
      // A clipped register stays where it was (a leak that moves it leaves no room to clip),
      // so the clip is counted off the common path: the hot loop pays no extra compare.
      if (h !== h0) {
        counters[base + b] = h;
        changed++;
      } else if (h !== v) clipped++;
      if (h > theta) nw |= 1 << b;
      else if (h < -theta) nw &= ~(1 << b);
    }
    if (nw !== w) {
      flipped += popcount32(nw ^ w);
      weights[wOff + k] = nw;
    }
  }
  tally.countersChanged += changed;
  tally.weightsFlipped += flipped;
  tally.countersSaturated += clipped;
}
