/**
 * Seed statistics of a sweep: when one grid axis is `seed`, the points that differ
 * only in their seed are grouped, and each group gets the mean and the sample
 * standard deviation (n - 1 in the denominator) of its final test and train accuracy:
 *   mean = sum(a_i) / n,  std = sqrt(sum((a_i - mean)^2) / (n - 1))  (0 when n = 1).
 */
import { toCsv, type CsvCell } from '../report/csv';
import type { GridAxis } from './grid';

/** The accuracies of one finished point, with its axis values. */
export interface SeedPoint {
  values: readonly unknown[];
  trainAccuracy: number;
  testAccuracy: number;
}

function meanStd(xs: readonly number[]): [number, number] {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1) : 0;
  return [mean, Math.sqrt(v)];
}

/** sweep-summary.csv text, or null when no axis is `seed`. */
export function seedSummaryCsv(axes: readonly GridAxis[], points: readonly SeedPoint[]): string | null {
  const seedAxis = axes.findIndex((a) => a.key === 'seed');
  if (seedAxis < 0) return null;
  const others = axes.map((_, i) => i).filter((i) => i !== seedAxis);
  const groups = new Map<string, SeedPoint[]>();
  for (const p of points) {
    const key = JSON.stringify(others.map((i) => p.values[i]));
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const rows: CsvCell[][] = [];
  for (const [key, group] of groups) {
    const values = JSON.parse(key) as unknown[];
    const [testMean, testStd] = meanStd(group.map((p) => p.testAccuracy));
    const [trainMean, trainStd] = meanStd(group.map((p) => p.trainAccuracy));
    rows.push([...values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), group.length, testMean, testStd, trainMean, trainStd]);
  }
  return toCsv([...others.map((i) => (axes[i] as GridAxis).key), 'seeds', 'test_accuracy_mean', 'test_accuracy_std', 'train_accuracy_mean', 'train_accuracy_std'], rows);
}
