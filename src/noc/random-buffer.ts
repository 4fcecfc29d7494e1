/**
 * Draws of an Rng, prefetched in blocks into a Float64Array; the sequence of
 * uniform numbers consumed is exactly the Rng's. The hot traffic loop only calls
 * the integer and boolean methods below: a non-inlined function returning a
 * fractional double boxes it on the heap, so none of these returns one.
 */
import type { Rng } from '../util/rng';

const BLOCK = 4096;

/** Buffered draws from one Rng stream. */
export class RandomBuffer {
  private readonly buf = new Float64Array(BLOCK);
  private pos = BLOCK;

  constructor(private readonly rng: Rng) {}

  /** Uniform integer in [0, n) (the value Rng.below(n) would give). */
  below(n: number): number {
    return Math.floor(this.take() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.take() < p;
  }

  /**
   * Cycles until the next success of a per-cycle Bernoulli(p) process, >= 1:
   * 1 + floor(ln(1 - U) / ln(1 - p)), with `logOneMinusP` = ln(1 - p) (< 0).
   */
  geometric(logOneMinusP: number): number {
    // 1 - U lies in (0, 1]: its logarithm is finite.
    return 1 + Math.floor(Math.log(1 - this.take()) / logOneMinusP);
  }

  private take(): number {
    if (this.pos === BLOCK) {
      for (let i = 0; i < BLOCK; i++) this.buf[i] = this.rng.next();
      this.pos = 0;
    }
    return this.buf[this.pos++] as number;
  }
}
