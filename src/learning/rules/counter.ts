/**
 * Counter/hysteresis rule (binary EP after Laydevant et al. 2021, Bop-like):
 *   H <- H - sign(H) * (|H| >> leakShift)      (leakShift > 0 only)
 *   H <- sat_counterBits(H + c)
 *   w <- +1 if H > theta; -1 if H < -theta; unchanged otherwise
 * The counter plays the role of Bop's low-pass-filtered gradient and theta the flip
 * threshold; the band [-theta, theta] is the hysteresis that keeps weights stable.
 * Optional threshold schedule (Bop's threshold annealing; the host rewrites a core's
 * theta register between epochs): from epoch thetaGrowthFrom (1-based) on, theta grows by
 * thetaGrowth per epoch, up to the largest theta the counter allows:
 *   theta_e = min(theta + thetaGrowth * max(0, e - thetaGrowthFrom + 1), 2^(b-1) - 2)
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
  private rule: PlaneRule;
  private readonly schedule: ThetaSchedule;
  /** Theta as configured, and the 0-based epoch `rule.theta` was set for. */
  private readonly baseTheta: number;
  private ruleEpoch = 0;

  constructor(counterBits: number, theta: number, leakShift: number, schedule: ThetaSchedule = NO_GROWTH) {
    checkCounterRule({ counterBits, theta, leakShift });
    this.schedule = schedule;
    this.rule = { bits: counterBits, hi: counterMax(counterBits), lo: counterMin(counterBits), theta: thetaAt(theta, counterBits, schedule, 0), leakShift, flipOnChangeOnly: false };
    this.synapseBits = counterBits;
    this.visitsIdleRows = leakShift > 0;
    this.baseTheta = theta;
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
    site: SynapseSite,
  ): void {
    // The threshold changes once per epoch at most: a new rule object then, none per row.
    if (this.schedule.growth > 0 && site.epoch !== this.ruleEpoch) {
      this.ruleEpoch = site.epoch;
      this.rule = { ...this.rule, theta: thetaAt(this.baseTheta, this.rule.bits, this.schedule, site.epoch) };
    }
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

/** `learning.thetaGrowth`. */
export const THETA_GROWTH: IntParam = {
  kind: 'int',
  default: 0,
  min: 0,
  max: 126,
  unit: 'counts per epoch',
  doc: 'counter rule: theta of every layer grows by this much per epoch from epoch thetaGrowthFrom on (threshold annealing), up to 2^(counterBits-1) - 2; 0 = fixed theta',
};

/** `learning.thetaGrowthFrom`. */
export const THETA_GROWTH_FROM: IntParam = {
  kind: 'int',
  default: 2,
  min: 1,
  max: 1000000,
  unit: 'epoch',
  doc: 'counter rule: first epoch (1-based) whose theta has grown by thetaGrowth',
};

/** How a counter rule's threshold grows over the epochs. */
export interface ThetaSchedule {
  /** Counts added per epoch (0 = fixed threshold). */
  growth: number;
  /** First epoch (1-based) with one growth step added. */
  from: number;
}

const NO_GROWTH: ThetaSchedule = { growth: 0, from: 1 };

/** Theta of a layer whose configured threshold is `theta`, in 0-based epoch `epoch` (capped so a weight can still flip back). */
export function thetaAt(theta: number, counterBits: number, s: ThetaSchedule, epoch: number): number {
  const steps = Math.max(0, epoch + 2 - s.from);
  return Math.min(theta + s.growth * steps, Math.max(theta, (1 << (counterBits - 1)) - 2));
}

/** The schedule a validated `learning` section asks for. */
export function thetaScheduleOf(s: RuleSettings): ThetaSchedule {
  return { growth: (s['thetaGrowth'] as number | undefined) ?? 0, from: (s['thetaGrowthFrom'] as number | undefined) ?? 2 };
}

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
  params: { counterBits: COUNTER_BITS, theta: THETA, leakShift: LEAK_SHIFT, thetaGrowth: THETA_GROWTH, thetaGrowthFrom: THETA_GROWTH_FROM },
  widthParam: 'counterBits',
  check: checkThetas,
  create: (s, layer) => new CounterPlasticity(s['counterBits'] as number, layerValue(s['theta'] as number[], layer - 1), s['leakShift'] as number, thetaScheduleOf(s)),
  referenceUpdate(s, at, w, h0, c) {
    const bits = s['counterBits'] as number;
    const leak = s['leakShift'] as number;
    if (c === 0 && leak === 0) return [w, h0, false];
    let h = h0;
    if (leak > 0) h = h >= 0 ? h - (h >> leak) : h + (-h >> leak);
    const v = h + c;
    h = Math.min(counterMax(bits), Math.max(counterMin(bits), v));
    const theta = thetaAt(layerValue(s['theta'] as number[], at.layer - 1), bits, thetaScheduleOf(s), at.epoch);
    return [h > theta ? 1 : h < -theta ? 0 : w, h, h !== v];
  },
  testSettings: [
    { counterBits: 3, theta: [0], leakShift: 0 },
    { counterBits: 4, theta: [1], leakShift: 0 },
    { counterBits: 4, theta: [2], leakShift: 2 },
    { counterBits: 6, theta: [3], leakShift: 1 },
    { counterBits: 4, theta: [1], leakShift: 0, thetaGrowth: 2, thetaGrowthFrom: 2 },
    { counterBits: 5, theta: [0], leakShift: 1, thetaGrowth: 3, thetaGrowthFrom: 1 },
  ],
};
