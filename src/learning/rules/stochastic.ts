/**
 * Stochastic-rounding counter rule: the counter rule with each contribution accepted
 * with probability 2^-k (k = learning.stochasticShift), i.e. c/2^k rounded stochastically
 * to {0, c} before it enters the counter (stochastic rounding of low-precision updates,
 * Gupta et al. 2015; stochastic binary synapses, Senn & Fusi 2005):
 *   u = hash(sampleKey, layer, post, pre)          (uniform 32-bit, see synapseHash)
 *   if c != 0 and u < 2^(32-k):  H <- sat_counterBits(H + c)
 *   w <- +1 if H > theta; -1 if H < -theta; unchanged otherwise
 * In expectation the counter sums c/2^k: a b-bit counter with threshold theta acts like
 * a (b + k)-bit one with threshold theta * 2^k, so it trades counter SRAM bits for
 * randomness. The draw depends only on the trainer's per-sample key and the synapse's
 * position (weight layer, post, pre), never on which core or block holds the row (a split
 * layer's slice adds its first column, SynapseSite.colBase), so the chip and the functional
 * model and both copies of a synapse draw the same number.
 */
import type { IntParam } from '../../config/param';
import { counterMax, counterMin, updateRowPlanes } from '../../kernels';
import type { PlaneRule, PlasticityTally } from '../../kernels';
import { COUNTER_BITS, THETA, checkThetas, layerValue } from './counter';
import type { PlasticityRule, RuleDefinition, SynapseSite } from './rule';

/** murmur3's 32-bit finaliser: a bijective mix of all input bits. */
function fmix32(h0: number): number {
  let h = h0 >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The first half of the synapse hash: sample key, weight layer and post-synaptic neuron. */
export function postHash(key: number, layer: number, post: number): number {
  return fmix32((key ^ Math.imul(layer, 0x9e3779b1) ^ fmix32(Math.imul(post + 1, 0x27d4eb2f))) >>> 0);
}

/** A uniform 32-bit number per (sample key, weight layer, post, pre). */
export function synapseHash(key: number, layer: number, post: number, pre: number): number {
  return fmix32((postHash(key, layer, post) ^ Math.imul(pre + 1, 0x165667b1)) >>> 0);
}

/** The stochastic-rounding counter rule of one weight layer. */
export class StochasticCounterPlasticity implements PlasticityRule {
  readonly name: string = 'stochastic';
  readonly synapseBits: number;
  readonly visitsIdleRows = false;
  private readonly rule: PlaneRule;
  private readonly shift: number;
  /** The site of the row being updated and its half of the hash (read by the acceptance mask). */
  private site: SynapseSite | null = null;
  private rowPart = 0;
  /** Bound once, so the per-row call does not allocate a closure. */
  private readonly acceptFn: (word: number, touched: number) => number;

  constructor(counterBits: number, theta: number, shift: number) {
    this.synapseBits = counterBits;
    this.rule = { bits: counterBits, hi: counterMax(counterBits), lo: counterMin(counterBits), theta, leakShift: 0, flipOnChangeOnly: true };
    this.shift = shift;
    this.acceptFn = (word, touched) => this.accepted(word, touched);
  }

  initialState(): number {
    return 0;
  }

  /** The bits of `touched` (word `word` of the row) whose draw accepts the contribution. */
  private accepted(word: number, touched: number): number {
    const site = this.site as SynapseSite;
    const k = this.shift;
    let todo = touched;
    let keep = 0;
    while (todo !== 0) {
      const b = 31 - Math.clz32(todo & -todo);
      todo &= todo - 1;
      const j = site.colBase + (word << 5) + b;
      const u = site.transposed
        ? synapseHash(site.sampleKey, site.layer, j, site.row)
        : fmix32((this.rowPart ^ Math.imul(j + 1, 0x165667b1)) >>> 0);
      if (u >>> (32 - k) === 0) keep |= 1 << b;
    }
    return keep;
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
    site: SynapseSite,
  ): void {
    // Forward segment: the row is the post neuron, so its half of the hash is computed once.
    this.site = site;
    this.rowPart = site.transposed ? 0 : postHash(site.sampleKey, site.layer, site.row);
    // The draw masks the contributions, then the counter update runs bit-sliced (no leak;
    // the weight follows only registers that changed, as the per-synapse rule does).
    updateRowPlanes(weights, wOff, planes, pOff, planeStride, nBits, inc, dec, mOff, this.rule, tally, this.shift > 0 ? this.acceptFn : null);
  }
}

/** `learning.stochasticShift`. */
export const STOCHASTIC_SHIFT: IntParam = {
  kind: 'int',
  default: 2,
  min: 0,
  max: 16,
  doc: 'stochastic rule: a contribution enters the counter with probability 2^-stochasticShift (0 = always, the counter rule without leak)',
};

/** The stochastic-rounding counter rule as a plug-in. */
export const STOCHASTIC_RULE: RuleDefinition = {
  name: 'stochastic',
  summary: 'counter rule whose contributions enter the counter with probability 2^-stochasticShift (stochastic rounding, seeded per sample)',
  reference: 'Gupta et al. 2015 (stochastic rounding); Senn & Fusi 2005 (stochastic binary synapses)',
  params: { counterBits: COUNTER_BITS, theta: THETA, stochasticShift: STOCHASTIC_SHIFT },
  widthParam: 'counterBits',
  check: checkThetas,
  create: (s, layer) => new StochasticCounterPlasticity(s['counterBits'] as number, layerValue(s['theta'] as number[], layer - 1), s['stochasticShift'] as number),
  referenceUpdate(s, at, w, h0, c) {
    if (c === 0) return [w, h0, false];
    const k = s['stochasticShift'] as number;
    if (k > 0 && synapseHash(at.sampleKey, at.layer, at.post, at.pre) >>> (32 - k) !== 0) return [w, h0, false];
    const bits = s['counterBits'] as number;
    const h = Math.min(counterMax(bits), Math.max(counterMin(bits), h0 + c));
    const theta = layerValue(s['theta'] as number[], at.layer - 1);
    return [h > theta ? 1 : h < -theta ? 0 : w, h, h !== h0 + c];
  },
  testSettings: [
    { counterBits: 3, theta: [0], stochasticShift: 1 },
    { counterBits: 4, theta: [1], stochasticShift: 2 },
    { counterBits: 4, theta: [2], stochasticShift: 0 },
  ],
};
