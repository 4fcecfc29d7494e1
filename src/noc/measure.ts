/**
 * Measurement as NoC papers do it: convergence of the latency over sample periods
 * (the run is cut into periods after warm-up; latency has converged at the first
 * period whose mean differs from the previous one by less than `tolerance` of it),
 * a 95% confidence interval over seeds (Student's t), latency-defined saturation
 * (mean latency at least `factor` times the zero-load latency) and latency histograms.
 */

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064,
  2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean and 95% confidence half-width of independent values (half-width NaN for one value). */
export function confidence95(values: readonly number[]): { mean: number; half: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, half: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, half: NaN };
  const variance = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1);
  const t = n - 1 <= T975.length ? (T975[n - 2] as number) : 1.96;
  return { mean, half: (t * Math.sqrt(variance)) / Math.sqrt(n) };
}

/** The first period (1-based count) at which consecutive period means agree within `tolerance`, or null. */
export function convergedAfter(periodMeans: readonly number[], tolerance = 0.05): number | null {
  for (let i = 1; i < periodMeans.length; i++) {
    const a = periodMeans[i - 1] as number;
    const b = periodMeans[i] as number;
    if (Number.isFinite(a) && Number.isFinite(b) && Math.abs(b - a) <= tolerance * b) return i + 1;
  }
  return null;
}

/** Whether a point is saturated by the latency definition: mean latency >= factor x zero-load (or packets undelivered). */
export function latencySaturated(latencyMean: number, unstable: boolean, zeroLoad: number, factor = 3): boolean {
  return unstable || !(latencyMean < factor * zeroLoad);
}

/** Counts of `values` in bins [k * width, (k + 1) * width). */
export function histogram(values: Float64Array, width: number): { from: number; to: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const v of values) {
    const k = Math.floor(v / width);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.keys()].sort((a, b) => a - b).map((k) => ({ from: k * width, to: (k + 1) * width, count: counts.get(k) as number }));
}
