/**
 * Counter/hysteresis rule (binary EP after Laydevant et al. 2021, Bop-like):
 *   H <- H - sign(H) * (|H| >> leakShift)      (leakShift > 0 only)
 *   H <- sat_counterBits(H + c)
 *   w <- +1 if H > theta; -1 if H < -theta; unchanged otherwise
 * The counter plays the role of Bop's low-pass-filtered gradient and theta the flip
 * threshold; the band [-theta, theta] is the hysteresis that keeps weights stable.
 */
import { checkCounterRule, updateRowCounters } from '../kernels';
import type { CounterRule, PlasticityTally } from '../kernels';
import type { PlasticityRule } from './plasticity-rule';

/** The counter/hysteresis rule of one weight layer. */
export class CounterPlasticity implements PlasticityRule {
  readonly name = 'counter' as const;
  readonly synapseBits: number;
  readonly visitsIdleRows: boolean;
  private readonly rule: CounterRule;

  constructor(counterBits: number, theta: number, leakShift: number) {
    this.rule = { counterBits, theta, leakShift };
    checkCounterRule(this.rule);
    this.synapseBits = counterBits;
    this.visitsIdleRows = leakShift > 0;
  }

  initialState(): number {
    return 0;
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
  ): void {
    updateRowCounters(weights, wOff, syn, sOff, nBits, inc, dec, mOff, this.rule, tally);
  }
}
