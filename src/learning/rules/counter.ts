/**
 * Counter/hysteresis rule (binary EP after Laydevant et al. 2021, Bop-like):
 *   H <- H - sign(H) * (|H| >> leakShift)      (leakShift > 0 only)
 *   H <- sat_counterBits(H + c)
 *   w <- +1 if H > theta; -1 if H < -theta; unchanged otherwise
 * The counter plays the role of Bop's low-pass-filtered gradient and theta the flip
 * threshold; the band [-theta, theta] is the hysteresis that keeps weights stable.
 */
import type { IntArrayParam, IntParam } from '../../config/param';
import { checkCounterRule, counterMax, counterMin, updateRowPlanes } from '../../kernels';
import type { PlaneRule, PlasticityTally } from '../../kernels';
import type { PlasticityRule, RuleDefinition, RuleSettings, SynapseSite } from './rule';

/** The counter/hysteresis rule of one weight layer. */
export class CounterPlasticity implements PlasticityRule {
  readonly name: string = 'counter';
  readonly synapseBits: number;
  readonly visitsIdleRows: boolean;
  private readonly rule: PlaneRule;

  constructor(counterBits: number, theta: number, leakShift: number) {
    checkCounterRule({ counterBits, theta, leakShift });
    this.rule = { bits: counterBits, hi: counterMax(counterBits), lo: counterMin(counterBits), theta, leakShift, flipOnChangeOnly: false };
    this.synapseBits = counterBits;
    this.visitsIdleRows = leakShift > 0;
  }

  initialState(): number {
    return 0;
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
    updateRowPlanes(weights, wOff, planes, pOff, planeStride, nBits, inc, dec, mOff, this.rule, tally, null);
  }
}

/** `learning.counterBits`: shared with every counter-based rule. */
export const COUNTER_BITS: IntParam = {
  kind: 'int',
  default: 6,
  min: 2,
  max: 8,
  unit: 'bits',
  doc: 'signed saturating plasticity counter width (counter rules)',
};

/** `learning.theta`: shared with every counter-based rule. */
export const THETA: IntArrayParam = {
  kind: 'intArray',
  default: [4],
  min: 0,
  max: 126,
  minLength: 1,
  unit: 'counts',
  doc: 'hysteresis threshold per weight layer: w -> +1 when H > theta, -1 when H < -theta (one value = all layers)',
};

/** `learning.leakShift`. */
export const LEAK_SHIFT: IntParam = {
  kind: 'int',
  default: 0,
  min: 0,
  max: 8,
  doc: 'counter leak H -= sign(H)*(|H| >> leakShift) at each update of a row; 0 = off (then idle rows are skipped)',
};

/** Entry `i` of a per-layer array that may hold a single broadcast value. */
export function layerValue(arr: readonly number[], i: number): number {
  return (arr.length === 1 ? arr[0] : arr[i]) as number;
}

/** Every theta must stay below the counter maximum (else no weight could ever flip back). */
export function checkThetas(s: RuleSettings): [string, string] | null {
  const bits = s['counterBits'] as number;
  const maxTheta = (1 << (bits - 1)) - 2;
  const thetas = s['theta'] as number[];
  for (let i = 0; i < thetas.length; i++) {
    if ((thetas[i] as number) > maxTheta) {
      return [`theta[${i}]`, `must be below the counter maximum: at most ${maxTheta} for ${bits}-bit counters, got ${thetas[i]}`];
    }
  }
  return null;
}

/** The counter rule as a plug-in. */
export const COUNTER_RULE: RuleDefinition = {
  name: 'counter',
  summary: 'saturating counter H per synapse, w flips when H leaves the hysteresis band [-theta, theta] (Bop-like)',
  reference: 'Laydevant et al. 2021 (binary EP); Helwegen et al. 2019 (Bop)',
  params: { counterBits: COUNTER_BITS, theta: THETA, leakShift: LEAK_SHIFT },
  widthParam: 'counterBits',
  check: checkThetas,
  create: (s, layer) => new CounterPlasticity(s['counterBits'] as number, layerValue(s['theta'] as number[], layer - 1), s['leakShift'] as number),
  referenceUpdate(s, at, w, h0, c) {
    const bits = s['counterBits'] as number;
    const leak = s['leakShift'] as number;
    if (c === 0 && leak === 0) return [w, h0, false];
    let h = h0;
    if (leak > 0) h = h >= 0 ? h - (h >> leak) : h + (-h >> leak);
    const v = h + c;
    h = Math.min(counterMax(bits), Math.max(counterMin(bits), v));
    const theta = layerValue(s['theta'] as number[], at.layer - 1);
    return [h > theta ? 1 : h < -theta ? 0 : w, h, h !== v];
  },
  testSettings: [
    { counterBits: 3, theta: [0], leakShift: 0 },
    { counterBits: 4, theta: [1], leakShift: 0 },
    { counterBits: 4, theta: [2], leakShift: 2 },
    { counterBits: 6, theta: [3], leakShift: 1 },
  ],
};
