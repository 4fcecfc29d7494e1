/**
 * Per-sample cycle figures of a run (free, nudged, learning, total; training or
 * inference), kept in one growable Float64Array of 5 numbers per sample, for
 * latency distributions and the run folder's sample-cycles.csv.
 */
import { toCsv } from '../report/csv';
import type { CsvCell } from '../report/csv';
import type { SampleCycles } from './chip';

const STRIDE = 5;

/** Nearest-rank percentile q (0 < q <= 1) of sorted values; 0 when empty. */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Distribution of one figure: median, 95th percentile and maximum. */
export interface CycleDistribution {
  p50: number;
  p95: number;
  max: number;
}

/** The cycle figures of every sample so far. */
export class SampleLog {
  private data = new Float64Array(STRIDE * 256);
  /** Samples logged. */
  count = 0;

  /** Log one sample. */
  add(learn: boolean, c: SampleCycles): void {
    if ((this.count + 1) * STRIDE > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const o = this.count * STRIDE;
    this.data[o] = learn ? 1 : 0;
    this.data[o + 1] = c.free;
    this.data[o + 2] = c.nudged;
    this.data[o + 3] = c.learning;
    this.data[o + 4] = c.total;
    this.count++;
  }

  /** Every logged number, 5 per sample (learn 0/1, free, nudged, learning, total): for checkpoints. */
  rows(): number[] {
    return Array.from(this.data.subarray(0, this.count * STRIDE));
  }

  /** Append samples given as by rows(). */
  addRows(rows: readonly number[]): void {
    for (let o = 0; o + STRIDE <= rows.length; o += STRIDE) {
      this.add(rows[o] === 1, { free: rows[o + 1] as number, nudged: rows[o + 2] as number, learning: rows[o + 3] as number, total: rows[o + 4] as number });
    }
  }

  /** Distribution of a figure (1 free, 2 nudged, 3 learning, 4 total) over training or inference samples. */
  distribution(learn: boolean, field: 1 | 2 | 3 | 4): CycleDistribution {
    const values: number[] = [];
    for (let i = 0; i < this.count; i++) if ((this.data[i * STRIDE] === 1) === learn) values.push(this.data[i * STRIDE + field] as number);
    const sorted = Float64Array.from(values).sort();
    return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : 0 };
  }

  /** sample-cycles.csv: one row per sample in the order run. */
  toCsv(): string {
    const rows: CsvCell[][] = [];
    for (let i = 0; i < this.count; i++) {
      const o = i * STRIDE;
      rows.push([i, this.data[o] === 1 ? 'train' : 'inference', this.data[o + 1] as number, this.data[o + 2] as number, this.data[o + 3] as number, this.data[o + 4] as number]);
    }
    return toCsv(['sample', 'kind', 'freeCycles', 'nudgedCycles', 'learningCycles', 'totalCycles'], rows);
  }
}
