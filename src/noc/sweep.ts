/**
 * Latency-throughput curves: run one synthetic-traffic experiment per injection
 * rate and seed (seeds seed, seed + 1, ...) and tabulate the results as CSV rows
 * (means over seeds, latency with its 95% confidence half-width over seeds,
 * percentiles of the pooled samples). A point is saturated by throughput when the
 * network no longer accepts what is offered (accepted below 97% of offered) or
 * measured packets were still undelivered at the drain limit, and by latency when
 * the mean latency reaches 3x the zero-load latency. Latency converged when two
 * consecutive sample periods agree within 5% (`periods` = how many it took, empty
 * when it did not).
 */
import { confidence95, convergedAfter, latencySaturated } from './measure';
import { runTraffic, type TrafficOptions, type TrafficResult } from './traffic';

/** CSV columns of a sweep. */
export const SWEEP_HEADER = [
  'pattern',
  'mesh',
  'rate',
  'offered',
  'accepted',
  'latency_mean',
  'latency_p50',
  'latency_p90',
  'latency_p99',
  'latency_p999',
  'latency_max',
  'latency_ci95',
  'zero_load',
  'network_latency_mean',
  'hops_mean',
  'measured',
  'delivered',
  'saturated',
  'saturated_latency',
  'converged_periods',
  'seeds',
  'refused',
] as const;

/** Whether a point is past saturation by throughput. */
export function isSaturated(r: TrafficResult): boolean {
  return r.unstable || r.refused > 0 || r.accepted < 0.97 * r.offered;
}

/** One rate's results over seeds. */
export interface SweepPoint {
  rate: number;
  runs: TrafficResult[];
  offered: number;
  accepted: number;
  latencyMean: number;
  latencyCi95: number;
  /** Pooled percentiles 50, 90, 99, 99.9 and the maximum. */
  pct: number[];
  zeroLoad: number;
  networkLatencyMean: number;
  hopsMean: number;
  measured: number;
  delivered: number;
  saturated: boolean;
  saturatedLatency: boolean;
  /** Sample periods until latency converged in every seed (the most any seed needed), or null. */
  convergedPeriods: number | null;
  /** Packets refused at full source queues during the windows, over the seeds. */
  refused: number;
}

/** Aggregate the runs of one rate (one per seed). */
export function sweepPoint(rate: number, runs: TrafficResult[]): SweepPoint {
  const mean = (f: (r: TrafficResult) => number): number => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  const lat = confidence95(runs.map((r) => r.latencyMean));
  const pooled = new Float64Array(runs.reduce((n, r) => n + r.samples.count, 0));
  let off = 0;
  for (const r of runs) {
    pooled.set(r.samples.values(), off);
    off += r.samples.count;
  }
  pooled.sort();
  const q = (p: number): number => (pooled.length === 0 ? NaN : (pooled[Math.min(pooled.length, Math.max(1, Math.ceil((p / 100) * pooled.length))) - 1] as number));
  const conv = runs.map((r) => convergedAfter(r.periodMeans));
  const zeroLoad = mean((r) => r.zeroLoad);
  const saturated = runs.some(isSaturated);
  return {
    rate,
    runs,
    offered: mean((r) => r.offered),
    accepted: mean((r) => r.accepted),
    latencyMean: lat.mean,
    latencyCi95: lat.half,
    pct: [q(50), q(90), q(99), q(99.9), pooled.length === 0 ? NaN : (pooled[pooled.length - 1] as number)],
    zeroLoad,
    networkLatencyMean: mean((r) => r.networkLatencyMean),
    hopsMean: mean((r) => r.hopsMean),
    measured: runs.reduce((a, r) => a + r.measured, 0),
    delivered: runs.reduce((a, r) => a + r.delivered, 0),
    refused: runs.reduce((a, r) => a + r.refused, 0),
    saturated,
    saturatedLatency: runs.some((r) => latencySaturated(r.latencyMean, r.unstable, r.zeroLoad)),
    convergedPeriods: conv.some((c) => c === null) ? null : Math.max(...(conv as number[])),
  };
}

/** One CSV row (numbers rounded to 6 significant digits). */
export function sweepRow(o: Omit<TrafficOptions, 'rate'>, p: SweepPoint): (string | number | boolean)[] {
  const n = (v: number): number | string => (Number.isFinite(v) ? Number(v.toPrecision(6)) : '');
  const [p50, p90, p99, p999, max] = p.pct as [number, number, number, number, number];
  return [
    o.pattern,
    `${o.width}x${o.height}`,
    p.rate,
    n(p.offered),
    n(p.accepted),
    n(p.latencyMean),
    n(p50),
    n(p90),
    n(p99),
    n(p999),
    n(max),
    n(p.latencyCi95),
    n(p.zeroLoad),
    n(p.networkLatencyMean),
    n(p.hopsMean),
    p.measured,
    p.delivered,
    p.saturated,
    p.saturatedLatency,
    p.convergedPeriods ?? '',
    p.runs.length,
    p.refused,
  ];
}

/** Rates from `from` to `to` (inclusive, within rounding) by `step`. */
export function rateRange(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  const n = Math.floor((to - from) / step + 1e-9);
  for (let i = 0; i <= n; i++) out.push(Number((from + i * step).toFixed(12)));
  return out;
}

/** Run every rate in order (each with `seeds` seeds from base.seed on), calling `onPoint` after each. */
export function runSweep(
  base: Omit<TrafficOptions, 'rate'>,
  rates: readonly number[],
  onPoint: (p: SweepPoint) => void = () => undefined,
  seeds = 1,
): SweepPoint[] {
  return rates.map((rate) => {
    const runs: TrafficResult[] = [];
    for (let k = 0; k < seeds; k++) {
      const seed = typeof base.seed === 'number' ? base.seed + k : k === 0 ? base.seed : `${base.seed}/${k}`;
      // Traces record the first seed only.
      const o: TrafficOptions = { ...base, rate, seed };
      if (k > 0) delete o.traces;
      runs.push(runTraffic(o));
    }
    const p = sweepPoint(rate, runs);
    onPoint(p);
    return p;
  });
}

/**
 * The saturation throughput of a sweep: the accepted rate of the last point before
 * the first saturated one (by latency, or by throughput), never a peak accepted
 * beyond saturation; NaN when the first point is already saturated.
 */
export function saturationThroughput(points: readonly SweepPoint[], by: 'latency' | 'throughput'): { throughput: number; rate: number | null } {
  let last = NaN;
  for (const p of points) {
    if (by === 'latency' ? p.saturatedLatency : p.saturated) return { throughput: last, rate: p.rate };
    last = p.accepted;
  }
  return { throughput: last, rate: null };
}
