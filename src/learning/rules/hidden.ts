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
import { updateRowPlanes } from '../../kernels';
import type { PlaneRule, PlasticityTally } from '../../kernels';
import type { PlasticityRule, RuleDefinition, SynapseSite } from './rule';

/** The integer hidden-weight rule of one weight layer. */
export class HiddenWeightPlasticity implements PlasticityRule {
  readonly name: string = 'hidden';
  readonly synapseBits: number;
  readonly visitsIdleRows = false;
  private readonly init: number;
  private readonly rule: PlaneRule;

  constructor(range: number, init = 1) {
    if (!Number.isInteger(range) || range < 1 || range > 127) throw new RangeError(`hiddenRange must be 1..127, got ${range}`);
    if (!Number.isInteger(init) || init < 1 || init > range) throw new RangeError(`hiddenInit must be 1..${range}, got ${init}`);
    this.init = init;
    // A signed register holding -R..R needs ceil(log2(R + 1)) + 1 bits.
    this.synapseBits = Math.ceil(Math.log2(range + 1)) + 1;
    this.rule = { bits: this.synapseBits, hi: range, lo: -range, theta: 0, leakShift: 0, flipOnChangeOnly: true };
  }

  initialState(w: number): number {
    return w !== 0 ? this.init : -this.init;
  }

  updateRow(
    weights: Uint32Array,
    wOff: number,
    planes: Uint32Array,
    pOff: number,
    planeStride: number,
    nBits: number,
    inc: Uint32Array,
    dec: Uint32Array,
    mOff: number,
    tally: PlasticityTally,
    _site: SynapseSite,
  ): void {
    // h in [-R, R] is a small signed register: the bit-sliced saturating update with bounds
    // +-R and threshold 0 (w follows sign(h) where h changed; at h = 0 it keeps its value).
    updateRowPlanes(weights, wOff, planes, pOff, planeStride, nBits, inc, dec, mOff, this.rule, tally, null);
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
