/**
 * Integer hidden-weight rule (after Colombo et al. 2024): each binary weight is the
 * sign of a small integer hidden weight h, clipped to +-R unit steps:
 *   h <- clip(h + c, -R, R)                    (R = learning.hiddenRange)
 *   w <- +1 if h > 0; -1 if h < 0; unchanged at h = 0
 * A fresh synapse starts at h = +I or -I (I = learning.hiddenInit), matching its weight. Unlike the counter rule
 * there is no separate threshold: the clip R alone sets how many opposing
 * contributions a weight withstands (R at most), so R plays the role of a learning rate.
 */
import type { IntParam } from '../../config/param';
import { popcount32, saturate } from '../../kernels';
import type { PlasticityTally } from '../../kernels';
import type { PlasticityRule, RuleDefinition, SynapseSite } from './rule';

/** The integer hidden-weight rule of one weight layer. */
export class HiddenWeightPlasticity implements PlasticityRule {
  readonly name: string = 'hidden';
  readonly synapseBits: number;
  readonly visitsIdleRows = false;
  private readonly range: number;
  private readonly init: number;

  constructor(range: number, init = 1) {
    if (!Number.isInteger(range) || range < 1 || range > 127) throw new RangeError(`hiddenRange must be 1..127, got ${range}`);
    if (!Number.isInteger(init) || init < 1 || init > range) throw new RangeError(`hiddenInit must be 1..${range}, got ${init}`);
    this.range = range;
    this.init = init;
    // A signed register holding -R..R needs ceil(log2(R + 1)) + 1 bits.
    this.synapseBits = Math.ceil(Math.log2(range + 1)) + 1;
  }

  initialState(w: number): number {
    return w !== 0 ? this.init : -this.init;
  }

  updateRow(
    weights: Uint32Array,
    wOff: number,
    syn: Int8Array,
    sOff: number,
    nBits: number,
    inc: Uint32Array,
    dec: Uint32Array,
    mOff: number,
    tally: PlasticityTally,
    _site: SynapseSite,
  ): void {
    // Same word and bit walk as updateRowCounters (kernels/counter-update.ts), kept separate so
    // each rule's per-synapse update stays inline in its own monomorphic loop (no callback).
    const r = this.range;
    const nWords = (nBits + 31) >>> 5;
    let changed = 0;
    let flipped = 0;
    let clipped = 0;
    for (let k = 0; k < nWords; k++) {
      const up = inc[mOff + k] as number;
      const down = dec[mOff + k] as number;
      // Synapses with c = 0 keep h and w (w always agrees with h), so idle words are skipped.
      let active = (up | down) >>> 0;
      if (active === 0) continue;
      const w = weights[wOff + k] as number;
      let nw = w;
      const base = sOff + (k << 5);
      while (active !== 0) {
        const b = 31 - Math.clz32(active);
        active = (active ^ (1 << b)) >>> 0;
        const h0 = syn[base + b] as number;
        const v = h0 + ((up >>> b) & 1) - ((down >>> b) & 1);
        const h = saturate(v, -r, r);
        if (h === h0) {
          if (h !== v) clipped++;
          continue;
        }
        syn[base + b] = h;
        changed++;
        if (h > 0) nw |= 1 << b;
        else if (h < 0) nw &= ~(1 << b);
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
}

/** `learning.hiddenRange`. */
export const HIDDEN_RANGE: IntParam = {
  kind: 'int',
  default: 2,
  min: 1,
  max: 127,
  unit: 'steps',
  doc: 'hidden rule: h is clipped to [-hiddenRange, hiddenRange] unit steps',
};

/** `learning.hiddenInit`. */
export const HIDDEN_INIT: IntParam = {
  kind: 'int',
  default: 1,
  min: 1,
  max: 127,
  unit: 'steps',
  doc: 'hidden rule: |h| of a fresh synapse (sign = its weight); at most hiddenRange',
};

/** The hidden-weight rule as a plug-in. */
export const HIDDEN_RULE: RuleDefinition = {
  name: 'hidden',
  summary: 'integer hidden weight h clipped to [-hiddenRange, hiddenRange], w = sign(h) (no dead band)',
  reference: 'Colombo et al. 2024 (integer hidden weights as metaplasticity)',
  params: { hiddenRange: HIDDEN_RANGE, hiddenInit: HIDDEN_INIT },
  widthParam: 'hiddenRange',
  check: (s) => {
    if ((s['hiddenInit'] as number) > (s['hiddenRange'] as number)) {
      return ['hiddenInit', `must be at most hiddenRange (${s['hiddenRange']}), got ${s['hiddenInit']}`];
    }
    return null;
  },
  create: (s) => new HiddenWeightPlasticity(s['hiddenRange'] as number, s['hiddenInit'] as number),
  referenceUpdate(s, _at, w, h0, c) {
    if (c === 0) return [w, h0, false];
    const r = s['hiddenRange'] as number;
    const h = Math.min(r, Math.max(-r, h0 + c));
    return [h > 0 ? 1 : h < 0 ? 0 : w, h, h !== h0 + c];
  },
  testSettings: [
    { hiddenRange: 1, hiddenInit: 1 },
    { hiddenRange: 3, hiddenInit: 1 },
    { hiddenRange: 4, hiddenInit: 3 },
  ],
};
