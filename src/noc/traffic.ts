/**
 * Synthetic traffic on the mesh alone (how architects check a router), after
 * BookSim's methodology:
 *   - every node generates single-flit packets by a Bernoulli process of rate R
 *     (flits/node/cycle) into an unbounded source queue; the gap between two
 *     packets is drawn as 1 + floor(ln U / ln(1 - R)) (geometric, the same
 *     process as one coin per cycle), so idle nodes cost no events;
 *   - warm-up [0, W), measurement [W, W + M), drain: generation goes on while the
 *     packets created during the measurement window are tracked to ejection, for
 *     at most D more cycles (if some are still in flight, the point is "unstable":
 *     past saturation);
 *   - latency = ejection cycle - creation cycle (includes source queueing);
 *     network latency = ejection cycle - entry into the source router's buffer;
 *   - offered = packets created in the window / (nodes * M); accepted = packets
 *     ejected in the window / (nodes * M), flits/node/cycle.
 * Randomness: rngStream(seed, 'traffic'), drawn in event order, so a run is
 * reproducible bit for bit.
 */
import { Kernel } from '../sim/kernel';
import { Mesh } from '../chip/noc/mesh';
import type { NocParams } from '../chip/noc/params';
import { packetBits } from '../chip/noc/packet';
import { PHASE_FIRST_FREE } from '../chip/noc/phases';
import type { Traces } from '../sim/trace-params';
import { rngStream } from '../util/rng';
import { LatencySamples } from './latency-stats';
import { RandomBuffer } from './random-buffer';
import { destinationFn, type PatternSpec } from './patterns';
import { SourceQueues } from './source-queues';

/** One synthetic-traffic experiment. */
export interface TrafficOptions extends PatternSpec {
  /** Injection rate, flits/node/cycle, in [0, 1]. */
  rate: number;
  warmup: number;
  measure: number;
  drain: number;
  seed: number | string;
  noc: NocParams;
  /** Optional VCD (router occupancy, link activity) and packet CSV writers; the caller finishes them. */
  traces?: Traces;
}

/** Measured outcome of one experiment. */
export interface TrafficResult {
  rate: number;
  /** Packets created in the window / (nodes * measure cycles). */
  offered: number;
  /** Packets ejected in the window / (nodes * measure cycles). */
  accepted: number;
  /** Mean latency of measured packets, creation to ejection (cycles). */
  latencyMean: number;
  latencyP50: number;
  latencyP90: number;
  latencyP99: number;
  /** Mean latency from source router buffer to ejection (cycles). */
  networkLatencyMean: number;
  /** Mean router-to-router hops of measured packets. */
  hopsMean: number;
  /** Packets created during the measurement window. */
  measured: number;
  /** Of those, delivered before the drain limit. */
  delivered: number;
  /** Some measured packets were still undelivered at the drain limit (past saturation). */
  unstable: boolean;
  /** Cycles simulated. */
  cycles: number;
  /** Kernel events executed. */
  events: number;
  /** Packets ejected over the whole run. */
  flitsDelivered: number;
}

const PCT = [50, 90, 99] as const;

/** Run one synthetic-traffic experiment. */
export function runTraffic(o: TrafficOptions): TrafficResult {
  const kernel = new Kernel();
  const nodes = o.width * o.height;
  const mesh = new Mesh(kernel, {
    width: o.width,
    height: o.height,
    noc: o.noc,
    io: { x: 0, y: 0, flitsPerCycle: 1 },
    packetBits: packetBits(o.width, o.height, 1),
  });
  if (o.traces?.vcd) mesh.attachVcd(o.traces.vcd);
  if (o.traces?.packets) mesh.attachPacketCsv(o.traces.packets);
  const rng = new RandomBuffer(rngStream(o.seed, 'traffic'));
  const dest = destinationFn(o);
  const queues = new SourceQueues(nodes);
  const pumpAt = new Float64Array(nodes).fill(-1);
  const wStart = o.warmup;
  const wEnd = o.warmup + o.measure;
  const hardEnd = wEnd + o.drain;
  const latency = new LatencySamples();
  let netLatencySum = 0;
  let hopsSum = 0;
  let measured = 0;
  let outstanding = 0;
  let ejectedInWindow = 0;
  let flitsDelivered = 0;
  const logq = o.rate < 1 ? Math.log(1 - o.rate) : -Infinity;

  const gap = (): number => {
    return o.rate >= 1 ? 1 : rng.geometric(logq);
  };

  const pump = (n: number, c: number): void => {
    if (queues.length[n] === 0 || !mesh.canInject(n)) return;
    const t = queues.headCreated(n);
    // The tag carries the creation cycle (cycles stay far below 2^31).
    mesh.inject(n, queues.headDst(n), 0, 0, t);
    queues.shift(n);
    if ((queues.length[n] as number) > 0 && pumpAt[n] !== c + 1) {
      pumpAt[n] = c + 1;
      kernel.at(c + 1, PHASE_FIRST_FREE, hPump, n, 0);
    }
  };
  const hPump = kernel.register((n, _b, c) => pump(n, c));
  const hGen = kernel.register((n, _b, c) => {
    if (c >= hardEnd) return;
    queues.push(n, c, dest(n, rng));
    if (c >= wStart && c < wEnd) {
      measured++;
      outstanding++;
    }
    pump(n, c);
    kernel.at(c + gap(), PHASE_FIRST_FREE, hGen, n, 0);
  });
  const hWindowEnd = kernel.register(() => {
    if (outstanding === 0) kernel.stop();
  });
  mesh.attach({
    onEject: (_dst, _axon, _bit, f, c) => {
      flitsDelivered++;
      if (c >= wStart && c < wEnd) ejectedInWindow++;
      const t = mesh.flitTag(f);
      if (t >= wStart && t < wEnd) {
        latency.add(c - t);
        netLatencySum += c - mesh.flitEnterCycle(f);
        hopsSum += mesh.flitHops(f);
        outstanding--;
        if (outstanding === 0 && c >= wEnd) kernel.stop();
      }
    },
    onCredit: (e, c) => pump(e, c),
  });
  if (o.rate > 0) for (let n = 0; n < nodes; n++) kernel.at(gap() - 1, PHASE_FIRST_FREE, hGen, n, 0);
  kernel.at(wEnd, PHASE_FIRST_FREE, hWindowEnd, 0, 0);
  kernel.run(hardEnd);

  const [p50, p90, p99] = latency.percentiles(PCT);
  const d = latency.count;
  return {
    rate: o.rate,
    offered: measured / (nodes * o.measure),
    accepted: ejectedInWindow / (nodes * o.measure),
    latencyMean: latency.mean(),
    latencyP50: p50 as number,
    latencyP90: p90 as number,
    latencyP99: p99 as number,
    networkLatencyMean: d === 0 ? NaN : netLatencySum / d,
    hopsMean: d === 0 ? NaN : hopsSum / d,
    measured,
    delivered: d,
    unstable: outstanding > 0,
    cycles: kernel.now,
    events: kernel.eventsExecuted,
    flitsDelivered,
  };
}
