/**
 * Pareto analysis of a design space. Each metric has a sense (higher accuracy is
 * better; lower energy, latency, area and SRAM bits are better). Point a dominates
 * point b when a is at least as good as b in every metric considered and strictly
 * better in one; the Pareto front is the set of points no other point dominates.
 * Points missing a metric (null) are left out of a comparison in that metric.
 */

/** A metric of a sweep point, as sweep-results.json names it. */
export interface Metric {
  key: 'testAccuracy' | 'energyPerInferencePJ' | 'energyPerTrainingSamplePJ' | 'latencyPerInferenceS' | 'chipAreaMm2' | 'sramBits';
  label: string;
  unit: string;
  better: 'higher' | 'lower';
}

/** The metrics a design-space report can put on an axis. */
export const METRICS: readonly Metric[] = [
  { key: 'testAccuracy', label: 'test accuracy', unit: '%', better: 'higher' },
  { key: 'energyPerInferencePJ', label: 'energy / inference', unit: 'J', better: 'lower' },
  { key: 'energyPerTrainingSamplePJ', label: 'energy / training sample', unit: 'J', better: 'lower' },
  { key: 'latencyPerInferenceS', label: 'inference latency', unit: 's', better: 'lower' },
  { key: 'chipAreaMm2', label: 'chip area', unit: 'mm²', better: 'lower' },
  { key: 'sramBits', label: 'SRAM', unit: 'bit', better: 'lower' },
];

/** Whether `a` dominates `b` over `senses` (one per coordinate). */
export function dominates(a: readonly number[], b: readonly number[], senses: readonly ('higher' | 'lower')[]): boolean {
  let strictly = false;
  for (let i = 0; i < senses.length; i++) {
    const d = senses[i] === 'higher' ? (a[i] as number) - (b[i] as number) : (b[i] as number) - (a[i] as number);
    if (d < 0) return false;
    if (d > 0) strictly = true;
  }
  return strictly;
}

/** For each point, whether it is on the Pareto front (no other point dominates it). O(n^2), fine for sweeps of thousands of points. */
export function paretoFront(points: readonly (readonly number[])[], senses: readonly ('higher' | 'lower')[]): boolean[] {
  return points.map((p) => !points.some((q) => q !== p && dominates(q, p, senses)));
}
