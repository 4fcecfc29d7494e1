/**
 * Latency samples of a measurement window: mean and nearest-rank percentiles
 * (the p-th percentile is the ceil(p/100 * n)-th smallest sample).
 */

/** Growable list of integer latencies (cycles). */
export class LatencySamples {
  private data = new Float64Array(1024);
  private n = 0;
  private sum = 0;

  /** Number of samples. */
  get count(): number {
    return this.n;
  }

  /** Add one sample. */
  add(v: number): void {
    if (this.n === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.n++] = v;
    this.sum += v;
  }

  /** Mean of the samples (NaN when empty). */
  mean(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }

  /** Nearest-rank percentiles for each p in `ps` (NaN when empty). */
  percentiles(ps: readonly number[]): number[] {
    if (this.n === 0) return ps.map(() => NaN);
    const sorted = this.data.slice(0, this.n).sort();
    return ps.map((p) => sorted[Math.min(this.n, Math.max(1, Math.ceil((p / 100) * this.n))) - 1] as number);
  }

  /** The samples, in insertion order (a copy). */
  values(): Float64Array {
    return this.data.slice(0, this.n);
  }
}
