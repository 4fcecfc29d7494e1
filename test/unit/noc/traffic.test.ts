import { runTraffic, type TrafficOptions } from '../../../src/noc/traffic';
import { destinationFn, checkPattern } from '../../../src/noc/patterns';
import { LatencySamples } from '../../../src/noc/latency-stats';
import { channelLoadBound } from '../../../src/noc/channel-load';
import { isSaturated, rateRange, runSweep, saturationThroughput } from '../../../src/noc/sweep';
import { rngStream } from '../../../src/util/rng';
import { RandomBuffer } from '../../../src/noc/random-buffer';

const noc = { bufferDepth: 4, routerDelay: 1, linkDelay: 1, creditDelay: 1, watchdogCycles: 10000 };
function opts(o: Partial<TrafficOptions>): TrafficOptions {
  return {
    pattern: 'uniform',
    width: 4,
    height: 4,
    hotspot: 0,
    hotspotFraction: 0,
    rate: 0.1,
    warmup: 200,
    measure: 2000,
    drain: 2000,
    seed: 1,
    noc,
    ...o,
  };
}

describe('synthetic traffic', () => {
  it('is reproducible from the seed and changes with it', () => {
    const a = runTraffic(opts({ rate: 0.3 }));
    expect(runTraffic(opts({ rate: 0.3 }))).toEqual(a);
    expect(runTraffic(opts({ rate: 0.3, seed: 2 }))).not.toEqual(a);
  });

  it('at low load: offered = accepted = rate and latency = 1 + zero-load latency of the mean hops', () => {
    const r = runTraffic(opts({ rate: 0.02, measure: 20000, width: 5, height: 3 }));
    expect(r.offered).toBeCloseTo(0.02, 2);
    expect(r.accepted).toBeCloseTo(0.02, 2);
    expect(r.unstable).toBe(false);
    expect(r.delivered).toBe(r.measured);
    // Uniform over all nodes of a W x H mesh: E|dx| = (W^2-1)/(3W), E|dy| = (H^2-1)/(3H).
    expect(r.hopsMean).toBeCloseTo(24 / 15 + 8 / 9, 1);
    // Creation to buffer entry is 1 cycle; barely any contention at 2% load.
    expect(r.latencyMean - (1 + r.hopsMean * 2 + 1)).toBeGreaterThanOrEqual(0);
    expect(r.latencyMean - (1 + r.hopsMean * 2 + 1)).toBeLessThan(0.1);
  });

  it('deterministic patterns have their exact mean hop counts', () => {
    // At rate 1 every node sends one packet per cycle, so each node weighs the same.
    // 4x4 transpose: 2 * mean |x - y| = 2.5; bit complement: |3 - 2x| + |3 - 2y| averages 4.
    const t = runTraffic(opts({ pattern: 'transpose', rate: 1, warmup: 0, measure: 50, drain: 5000 }));
    expect(t.delivered).toBe(16 * 50);
    expect(t.hopsMean).toBe(2.5);
    const b = runTraffic(opts({ pattern: 'bitcomplement', rate: 1, warmup: 0, measure: 50, drain: 5000 }));
    expect(b.delivered).toBe(16 * 50);
    expect(b.hopsMean).toBe(4);
  });

  it('never accepts more than the bisection bound 4/k under uniform traffic, and saturates below it', () => {
    for (const k of [4, 6]) {
      const r = runTraffic(opts({ width: k, height: k, rate: 1, warmup: 300, measure: 1000, drain: 0 }));
      expect(r.accepted).toBeLessThanOrEqual(4 / k);
      expect(isSaturated(r)).toBe(true);
    }
  });

  it('sweeps rates into a latency-throughput curve with latency growing towards saturation', () => {
    const rates = rateRange(0.1, 0.9, 0.2);
    expect(rates).toEqual([0.1, 0.3, 0.5, 0.7, 0.9]);
    const res = runSweep(opts({ measure: 1000, drain: 1000 }), rates);
    for (let i = 1; i < res.length; i++) expect(res[i]!.latencyMean).toBeGreaterThanOrEqual(res[i - 1]!.latencyMean);
    expect(res[0]!.saturated).toBe(false);
    expect(res[4]!.saturated).toBe(true);
    expect(isSaturated(res[4]!.runs[0]!)).toBe(true);
    // Saturation throughput is the accepted rate just before the first saturated point, never a later peak.
    const s = saturationThroughput(res, 'throughput');
    const first = res.findIndex((p) => p.saturated);
    expect(s.rate).toBe(res[first]!.rate);
    expect(s.throughput).toBe(res[first - 1]!.accepted);
    const l = saturationThroughput(res, 'latency');
    expect(res.findIndex((p) => p.saturatedLatency)).toBeLessThanOrEqual(first);
    expect(l.rate).not.toBeNull();
  });

  it('seeds give a 95% confidence interval; sample periods report convergence; zero-load latency from the mean hop count', () => {
    const res = runSweep(opts({ measure: 4000, drain: 2000, samplePeriod: 1000 }), [0.1], () => undefined, 4);
    const p = res[0]!;
    expect(p.runs.map((r) => r.latencyMean)).toHaveLength(4);
    expect(new Set(p.runs.map((r) => r.latencyMean)).size).toBeGreaterThan(1);
    expect(p.latencyCi95).toBeGreaterThan(0);
    expect(p.runs[0]!.periodMeans).toHaveLength(4);
    expect(p.convergedPeriods).not.toBeNull();
    // 4x4 uniform, all delays 1: 1 (injection) + H*2 + 1 at H = 2.5.
    expect(p.zeroLoad).toBeCloseTo(1 + 2.5 * 2 + 1, 9);
    expect(p.latencyMean).toBeGreaterThan(p.zeroLoad);
  });

  it('hotspot pattern sends the chosen share to the hotspot', () => {
    const f = destinationFn({ pattern: 'hotspot', width: 4, height: 4, hotspot: 5, hotspotFraction: 0.3 });
    const rng = new RandomBuffer(rngStream(3, 'test'));
    let hits = 0;
    for (let i = 0; i < 20000; i++) if (f(0, rng) === 5) hits++;
    expect(hits / 20000).toBeCloseTo(0.3 + 0.7 / 16, 1);
    expect(checkPattern({ pattern: 'transpose', width: 4, height: 3, hotspot: 0, hotspotFraction: 0 })).toMatch(/square/);
    expect(checkPattern({ pattern: 'hotspot', width: 4, height: 3, hotspot: 12, hotspotFraction: 0.1 })).toMatch(/outside/);
  });

  it('hotspot set (BookSim hotspot({a,b,...}) with fraction 1): every packet to a member, members equally often', () => {
    const set = [0, 3, 12, 15];
    const f = destinationFn({ pattern: 'hotspot', width: 4, height: 4, hotspot: 0, hotspots: set, hotspotFraction: 1 });
    const rng = new RandomBuffer(rngStream(4, 'test'));
    const count = new Map<number, number>();
    for (let i = 0; i < 20000; i++) {
      const d = f(i % 16, rng);
      count.set(d, (count.get(d) ?? 0) + 1);
    }
    expect([...count.keys()].sort((a, b) => a - b)).toEqual(set);
    for (const h of set) expect((count.get(h) as number) / 20000).toBeCloseTo(0.25, 1);
    // Each corner's ejection channel carries 16 / 4 = 4 flits per unit rate: bound 1/4 (the links into a corner carry at most 3).
    expect(channelLoadBound({ pattern: 'hotspot', width: 4, height: 4, hotspot: 0, hotspots: set, hotspotFraction: 1 }).bound).toBeCloseTo(0.25, 12);
    expect(checkPattern({ pattern: 'hotspot', width: 4, height: 4, hotspot: 0, hotspots: [1, 16], hotspotFraction: 1 })).toMatch(/node 16 is outside/);
    expect(checkPattern({ pattern: 'hotspot', width: 4, height: 4, hotspot: 0, hotspots: [1, 1], hotspotFraction: 1 })).toMatch(/twice/);
    // Saturation follows: 4 hotspots accept about 4x one hotspot's traffic.
    const run = (hotspots: number[] | undefined, rate: number): number =>
      runTraffic(opts({ pattern: 'hotspot', hotspot: 5, ...(hotspots ? { hotspots } : {}), hotspotFraction: 1, rate, warmup: 500 })).accepted;
    expect(run(undefined, 0.2)).toBeLessThan(0.07);
    expect(run(set, 0.2)).toBeGreaterThan(0.19);
  });

  it('percentiles are nearest-rank', () => {
    const s = new LatencySamples();
    for (let v = 100; v >= 1; v--) s.add(v);
    expect(s.percentiles([50, 90, 99, 100])).toEqual([50, 90, 99, 100]);
    expect(s.mean()).toBe(50.5);
  });
});

describe('bounded source queues', () => {
  it('past saturation a full source queue refuses packets: counted as refused offered load, queues never above the bound', () => {
    const r = runTraffic(opts({ rate: 1, width: 4, height: 4, warmup: 100, measure: 3000, drain: 0, sourceQueuePackets: 8 }));
    expect(r.maxQueued).toBe(8);
    expect(r.refused).toBeGreaterThan(0);
    // Rate 1: every node generates a packet every cycle; offered counts the refused ones too.
    expect(r.offered).toBe(1);
    expect((r.measured + r.refused) / (16 * 3000)).toBe(1);
    expect(r.accepted).toBeLessThan(1);
  });

  it('a longer window past saturation does not grow the queues (memory stays flat)', () => {
    const short = runTraffic(opts({ rate: 0.9, width: 4, height: 4, warmup: 100, measure: 1000, drain: 0, sourceQueuePackets: 32 }));
    const long = runTraffic(opts({ rate: 0.9, width: 4, height: 4, warmup: 100, measure: 20000, drain: 0, sourceQueuePackets: 32 }));
    expect(short.maxQueued).toBe(32);
    expect(long.maxQueued).toBe(32);
  });

  it('below saturation the bound changes nothing: same results as a bound no queue reaches', () => {
    const bounded = runTraffic(opts({ rate: 0.05, sourceQueuePackets: 64 }));
    const roomy = runTraffic(opts({ rate: 0.05, sourceQueuePackets: 1e9 }));
    expect(bounded.refused).toBe(0);
    expect(bounded).toEqual(roomy);
  });
});
