/**
 * Plasticity update of a whole layer: for every post-synaptic neuron r (row r of W)
 * the masks of plasticityMasks from the pre-synaptic vectors and post bits r, then
 * updateRowCounters. Row r's weights start at word r * wordsFor(nBits), its counters
 * at r * counterStride(nBits) (rows padded to whole words; padding counters stay 0).
 * For symmetric nudging pass the +beta phase as "nudged" and the -beta phase as "free".
 */
import { counterStride } from './counter-rule';
import type { BitEncoding, CounterRule, PlasticityTally } from './counter-rule';
import { updateRowCounters } from './counter-update';
import { plasticityMasks } from './plasticity-masks';

/**
 * Apply one EP plasticity step to the rows x nBits layer (weights, counters) from packed
 * pre (nBits) and post (rows) bits of both phases; inc/dec are scratch of wordsFor(nBits) words.
 */
export function updateLayerCounters(
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
  const nWords = (nBits + 31) >>> 5;
  const stride = counterStride(nBits);
  for (let r = 0; r < rows; r++) {
    const pb = ((postNudged[r >>> 5] as number) >>> (r & 31)) & 1;
    const p0 = ((postFree[r >>> 5] as number) >>> (r & 31)) & 1;
    plasticityMasks(preNudged, 0, preFree, 0, nBits, pb, p0, betaSign, encoding, inc, dec, 0);
    updateRowCounters(weights, r * nWords, counters, r * stride, nBits, inc, dec, 0, rule, tally);
  }
}
