/**
 * Naive reference oracle for the plasticity kernels, one synapse at a time from the
 * defining formulas with activation values (spin: v = 2b - 1; binary: v = b):
 *   c_j = sgn(beta) * sign(vb_i vb_j - v0_i v0_j)
 * and, for each synapse with c_j != 0 (every synapse when leakShift > 0):
 *   H <- H - sign(H) * floor(|H| / 2^leakShift)   (leakShift > 0)
 *   H <- min(max(H + c_j, -2^(bits-1)), 2^(bits-1) - 1)
 *   w_j <- +1 if H > theta, -1 if H < -theta, else unchanged
 */
import type { BitEncoding, CounterRule, PlasticityTally } from '../counter-rule';
import { refGetBit, refSetBit, refWordsFor } from './naive-bits';

function value(bit: number, encoding: BitEncoding): number {
  return encoding === 'spin' ? 2 * bit - 1 : bit;
}

/** Contribution c_j in {-1, 0, +1} of one synapse. */
export function refContribution(
  postNudged: number,
  preNudged: number,
  postFree: number,
  preFree: number,
  betaSign: number,
  encoding: BitEncoding,
): number {
  const d = value(postNudged, encoding) * value(preNudged, encoding) - value(postFree, encoding) * value(preFree, encoding);
  return Math.sign(betaSign) * Math.sign(d);
}

/** Masks as plasticityMasks defines them, computed synapse by synapse; returns the count of nonzero contributions. */
export function refPlasticityMasks(
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
  if (betaSign !== 1 && betaSign !== -1) throw new RangeError(`refPlasticityMasks: betaSign must be +1 or -1, got ${betaSign}`);
  const nWords = refWordsFor(nBits);
  const incV = inc.subarray(mOff, mOff + nWords);
  const decV = dec.subarray(mOff, mOff + nWords);
  incV.fill(0);
  decV.fill(0);
  let nonzero = 0;
  for (let j = 0; j < nBits; j++) {
    const c = refContribution(
      postNudged !== 0 ? 1 : 0,
      refGetBit(preNudged.subarray(preNudgedOff), j),
      postFree !== 0 ? 1 : 0,
      refGetBit(preFree.subarray(preFreeOff), j),
      betaSign,
      encoding,
    );
    if (c > 0) refSetBit(incV, j, 1);
    if (c < 0) refSetBit(decV, j, 1);
    if (c !== 0) nonzero++;
  }
  return nonzero;
}

/** Counter and weight update of one row, synapse by synapse. */
export function refUpdateRowCounters(
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
  const hi = 2 ** (rule.counterBits - 1) - 1;
  const lo = -(2 ** (rule.counterBits - 1));
  const w = weights.subarray(wOff);
  for (let j = 0; j < nBits; j++) {
    const c = refGetBit(inc.subarray(mOff), j) - refGetBit(dec.subarray(mOff), j);
    if (c === 0 && rule.leakShift === 0) continue;
    const before = counters[cOff + j] as number;
    let h = before;
    if (rule.leakShift > 0) h -= Math.sign(h) * Math.floor(Math.abs(h) / 2 ** rule.leakShift);
    h += c;
    if (h > hi || h < lo) tally.countersSaturated++;
    h = Math.min(Math.max(h, lo), hi);
    if (h !== before) tally.countersChanged++;
    counters[cOff + j] = h;
    const old = refGetBit(w, j);
    let nw = old;
    if (h > rule.theta) nw = 1;
    if (h < -rule.theta) nw = 0;
    if (nw !== old) {
      tally.weightsFlipped++;
      refSetBit(w, j, nw);
    }
  }
}

/** Layer update: per row, masks then counters (rows of W padded to whole words, counter rows of wordsFor(n) * 32). */
export function refUpdateLayerCounters(
  weights: Uint32Array,
  counters: Int8Array,
  rows: number,
  nBits: number,
  preNudged: Uint32Array,
  preFree: Uint32Array,
  postNudged: Uint32Array,
  postFree: Uint32Array,
  betaSign: number,
  encoding: BitEncoding,
  rule: CounterRule,
  inc: Uint32Array,
  dec: Uint32Array,
  tally: PlasticityTally,
): void {
  const nWords = refWordsFor(nBits);
  for (let r = 0; r < rows; r++) {
    refPlasticityMasks(preNudged, 0, preFree, 0, nBits, refGetBit(postNudged, r), refGetBit(postFree, r), betaSign, encoding, inc, dec, 0);
    refUpdateRowCounters(weights, r * nWords, counters, r * nWords * 32, nBits, inc, dec, 0, rule, tally);
  }
}
