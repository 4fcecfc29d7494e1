/**
 * The randomness the trainer owns, as named seeded streams so that a run resumed in
 * the middle of an epoch sees exactly the numbers an uninterrupted run sees:
 *   order of epoch e: Fisher-Yates shuffle of 0..n-1 with stream `data-order/epoch-e`;
 *   sign of beta for the k-th training sample of epoch e: the k-th draw u of stream
 *   `beta-sign/epoch-e`, sign = -1 if u < 0.5 else +1 (resuming at k skips k draws);
 *   plasticity key of the k-th training sample of epoch e: floor(2^32 u) of the k-th draw
 *   of stream `plasticity-key/epoch-e` (for rules that draw random numbers);
 *   shift of the k-th training sample of epoch e (data.shift = m > 0): draws 3k, 3k+1,
 *   3k+2 of stream `data-shift/epoch-e`: u, then dx = below(2m+1) - m, dy likewise;
 *   moved by (dx, dy) when u < data.shiftShare, else not moved.
 */
import { rngStream, shuffleInPlace, type Rng } from '../util/rng';

/** Sample order of epoch `epoch` (0-based) over `n` training samples. */
export function epochOrder(seed: number, epoch: number, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, rngStream(seed, `data-order/epoch-${epoch}`));
  return order;
}

/** The per-sample signs of beta of one epoch. */
export class BetaSigns {
  private readonly rng: Rng;

  /** Signs of epoch `epoch`, positioned after the first `consumed` samples; all +1 when `random` is false. */
  constructor(seed: number, epoch: number, consumed: number, private readonly random: boolean) {
    this.rng = rngStream(seed, `beta-sign/epoch-${epoch}`);
    if (random) for (let k = 0; k < consumed; k++) this.rng.next();
  }

  /** Sign for the next training sample. */
  next(): 1 | -1 {
    if (!this.random) return 1;
    return this.rng.next() < 0.5 ? -1 : 1;
  }
}

/** The per-sample plasticity keys of one epoch (see SynapseSite.sampleKey in src/learning/rules/rule.ts). */
export class PlasticityKeys {
  private readonly rng: Rng;

  /** Keys of epoch `epoch`, positioned after the first `consumed` samples. */
  constructor(seed: number, epoch: number, consumed: number) {
    this.rng = rngStream(seed, `plasticity-key/epoch-${epoch}`);
    for (let k = 0; k < consumed; k++) this.rng.next();
  }

  /** Key for the next training sample. */
  next(): number {
    return Math.floor(this.rng.next() * 4294967296) >>> 0;
  }
}

/** The per-sample image shifts of one epoch (data.shift, data.shiftShare; src/data/shift.ts). */
export class SampleShifts {
  private readonly rng: Rng;
  /** dx and dy of the last draw. */
  dx = 0;
  dy = 0;

  /** Shifts of epoch `epoch` of at most `max` pixels, each taken with probability `share`, positioned after the first `consumed` samples. */
  constructor(seed: number, epoch: number, consumed: number, private readonly max: number, private readonly share: number) {
    this.rng = rngStream(seed, `data-shift/epoch-${epoch}`);
    for (let k = 0; k < 3 * consumed; k++) this.rng.next();
  }

  /** Draw the next sample's shift into dx, dy; false when the sample is not moved (also for a draw of 0, 0). */
  next(): boolean {
    const u = this.rng.next();
    const n = 2 * this.max + 1;
    const dx = this.rng.below(n) - this.max;
    const dy = this.rng.below(n) - this.max;
    const moved = u < this.share && (dx !== 0 || dy !== 0);
    this.dx = moved ? dx : 0;
    this.dy = moved ? dy : 0;
    return moved;
  }
}
