/**
 * Latency-throughput curves: run one synthetic-traffic experiment per injection
 * rate (each from the same seed) and tabulate the results as CSV rows. A point is
 * marked saturated when the network no longer accepts what is offered (accepted
 * below 95% of offered) or measured packets were still undelivered at the drain limit.
 */
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
  'network_latency_mean',
  'hops_mean',
  'measured',
  'delivered',
  'saturated',
] as const;

/** Whether a point is past saturation. */
export function isSaturated(r: TrafficResult): boolean {
  return r.unstable || r.accepted < 0.97 * r.offered;
}

/** One CSV row (numbers rounded to 6 significant digits). */
export function sweepRow(o: TrafficOptions, r: TrafficResult): (string | number | boolean)[] {
  const n = (v: number): number | string => (Number.isFinite(v) ? Number(v.toPrecision(6)) : '');
  return [
    o.pattern,
    `${o.width}x${o.height}`,
    r.rate,
    n(r.offered),
    n(r.accepted),
    n(r.latencyMean),
    n(r.latencyP50),
    n(r.latencyP90),
    n(r.latencyP99),
    n(r.networkLatencyMean),
    n(r.hopsMean),
    r.measured,
    r.delivered,
    isSaturated(r),
  ];
}

/** Rates from `from` to `to` (inclusive, within rounding) by `step`. */
export function rateRange(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  const n = Math.floor((to - from) / step + 1e-9);
  for (let i = 0; i <= n; i++) out.push(Number((from + i * step).toFixed(12)));
  return out;
}

/** Run every rate in order, calling `onPoint` after each. */
export function runSweep(
  base: Omit<TrafficOptions, 'rate'>,
  rates: readonly number[],
  onPoint: (o: TrafficOptions, r: TrafficResult) => void = () => undefined,
): TrafficResult[] {
  return rates.map((rate) => {
    const o = { ...base, rate };
    const r = runTraffic(o);
    onPoint(o, r);
    return r;
  });
}

/** Highest accepted throughput over a sweep (the measured saturation throughput). */
export function peakAccepted(results: readonly TrafficResult[]): number {
  return results.reduce((m, r) => Math.max(m, r.accepted), 0);
}
