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
 * Packets of F flits (options.packetBits over noc.flitWidth) are generated at rate
 * R / F packets per node and cycle, so R stays in flits/node/cycle. The multicast
 * pattern sends each message to k nodes (one tree packet, or k unicast packets);
 * its offered and accepted rates count deliveries / k (messages), its latency is
 * per delivery.
 * Randomness: rngStream(seed, 'traffic'), drawn in event order, so a run is
 * reproducible bit for bit.
 */
import { Kernel } from '../sim/kernel';
import { Mesh } from '../chip/noc/mesh';
import type { NocParams } from '../hw/noc-params';
import { packetBits } from '../hw/packet';
import { PHASE_FIRST_FREE } from '../chip/noc/phases';
import type { Traces } from '../sim/trace-params';
import { rngStream } from '../util/rng';
import { meanHops } from './channel-load';
import { LatencySamples } from './latency-stats';
import { RandomBuffer } from './random-buffer';
import { destinationFn, multicastDestinations, type PatternSpec } from './patterns';
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
  /**
   * Sample period (cycles): the measurement window is cut into periods of this length
   * and the mean latency of the packets created in each is kept (default: one period).
   */
  samplePeriod?: number;
  /** Run the VC router even for the single-lane configuration (speed comparisons). */
  forceVcRouter?: boolean;
  /** Bits of every packet (default: a spike packet of the mesh); more than noc.flitWidth makes multi-flit packets. */
  packetBits?: number;
  /** Optional VCD (router occupancy, link activity) and packet CSV writers; the caller finishes them. */
  traces?: Traces;
  /**
   * Packets a node's source queue holds (default DEFAULT_SOURCE_QUEUE): a packet
   * generated at a full queue is refused, counted in `refused` and in the offered load
   * but never injected, so memory stays flat past saturation at any measurement length.
   */
  sourceQueuePackets?: number;
}

/** Default bound of each node's source queue, packets. */
export const DEFAULT_SOURCE_QUEUE = 1024;

/** Measured outcome of one experiment. */
export interface TrafficResult {
  rate: number;
  /** Packets generated in the window (queued or refused) / (nodes * measure cycles). */
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
  /** Packets created during the measurement window and queued for injection. */
  measured: number;
  /** Packets generated during the measurement window but refused at a full source queue (part of the offered load). */
  refused: number;
  /** Longest any source queue got, packets (at most sourceQueuePackets). */
  maxQueued: number;
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
  /** Link flits multicast trees saved over unicast copies. */
  multicastFlitsSaved: number;
  /** Link flits sent. */
  linkFlits: number;
  /** Mean latency of the packets created in each sample period. */
  periodMeans: number[];
  /** Latency samples (for histograms). */
  samples: LatencySamples;
  /** Zero-load latency from creation of the pattern's mean packet: injectionDelay + the mesh's zero-load latency at the mean hop count. */
  zeroLoad: number;
}

const PCT = [50, 90, 99] as const;

/** Run one synthetic-traffic experiment. */
export function runTraffic(o: TrafficOptions): TrafficResult {
  const kernel = new Kernel();
  const nodes = o.width * o.height;
  const bits = o.packetBits ?? packetBits(o.width, o.height, 1);
  const mesh = new Mesh(kernel, {
    width: o.width,
    height: o.height,
    noc: o.noc,
    io: { x: 0, y: 0, flitsPerCycle: 1 },
    packetBits: bits,
    forceVcRouter: o.forceVcRouter ?? false,
  });
  const mc = o.pattern === 'multicast';
  const k = mc ? (o.destinations ?? 1) : 1;
  const tree = mc && o.noc.multicast === 'tree';
  const mcBits = Math.max(bits, mesh.multicastPacketBits);
  const flits = mesh.flitsOf(tree ? mcBits : bits);
  const dsts: number[] = [];
  const scratch = new Int32Array(Math.max(1, nodes - 1));
  /** Destination lists of tree messages waiting in source queues, by message id. */
  const msgDsts = new Map<number, number[]>();
  let msgNext = 0;
  if (o.traces?.vcd) mesh.attachVcd(o.traces.vcd);
  if (o.traces?.packets) mesh.attachPacketCsv(o.traces.packets);
  const rng = new RandomBuffer(rngStream(o.seed, 'traffic'));
  const dest = destinationFn(o);
  const queues = new SourceQueues(nodes);
  const bound = o.sourceQueuePackets ?? DEFAULT_SOURCE_QUEUE;
  let refused = 0;
  let maxQueued = 0;
  const pumpAt = new Float64Array(nodes).fill(-1);
  const wStart = o.warmup;
  const wEnd = o.warmup + o.measure;
  const hardEnd = wEnd + o.drain;
  const latency = new LatencySamples();
  const period = Math.max(1, Math.min(o.samplePeriod ?? o.measure, o.measure));
  const periods = Math.ceil(o.measure / period);
  const pSum = new Float64Array(periods);
  const pCount = new Float64Array(periods);
  let netLatencySum = 0;
  let hopsSum = 0;
  let measured = 0;
  let outstanding = 0;
  let ejectedInWindow = 0;
  let flitsDelivered = 0;
  const rate = o.rate / flits;
  const logq = rate < 1 ? Math.log(1 - rate) : -Infinity;

  const gap = (): number => {
    return rate >= 1 ? 1 : rng.geometric(logq);
  };

  const pump = (n: number, c: number): void => {
    if (queues.length[n] === 0 || !mesh.canInject(n)) return;
    const t = queues.headCreated(n);
    const d = queues.headDst(n);
    // The tag carries the creation cycle (cycles stay far below 2^31).
    if (d >= 0) mesh.inject(n, d, 0, 0, t, 0, bits);
    else {
      mesh.injectMulticast(n, msgDsts.get(-1 - d) as number[], 0, 0, t, mcBits);
      msgDsts.delete(-1 - d);
    }
    queues.shift(n);
    if ((queues.length[n] as number) > 0 && pumpAt[n] !== c + 1) {
      pumpAt[n] = c + 1;
      kernel.at(c + 1, PHASE_FIRST_FREE, hPump, n, 0);
    }
  };
  const hPump = kernel.register((n, _b, c) => pump(n, c));
  const hGen = kernel.register((n, _b, c) => {
    if (c >= hardEnd) return;
    const inWindow = c >= wStart && c < wEnd;
    const room = bound - (queues.length[n] as number);
    if (room < (mc && !tree ? k : 1)) {
      // A full source queue refuses the packet. Its destination is still drawn, so the
      // random stream, and with it every later packet, is the same whatever the bound.
      if (!mc) dest(n, rng);
      else multicastDestinations(n, nodes, k, rng, scratch, dsts);
      if (inWindow) refused += k;
      kernel.at(c + gap(), PHASE_FIRST_FREE, hGen, n, 0);
      return;
    }
    if (!mc) queues.push(n, c, dest(n, rng));
    else {
      multicastDestinations(n, nodes, k, rng, scratch, dsts);
      if (tree) {
        msgDsts.set(msgNext, dsts.slice());
        queues.push(n, c, -1 - msgNext++);
      } else for (const d of dsts) queues.push(n, c, d);
    }
    if (inWindow) {
      measured += k;
      outstanding += k;
    }
    if ((queues.length[n] as number) > maxQueued) maxQueued = queues.length[n] as number;
    pump(n, c);
    kernel.at(c + gap(), PHASE_FIRST_FREE, hGen, n, 0);
  });
  const hWindowEnd = kernel.register(() => {
    if (outstanding === 0) kernel.stop();
  });
  mesh.attach({
    onEject: (_dst, _axon, _bit, f, c) => {
      flitsDelivered += flits;
      if (c >= wStart && c < wEnd) ejectedInWindow++;
      const t = mesh.flitTag(f);
      if (t >= wStart && t < wEnd) {
        latency.add(c - t);
        const pi = Math.floor((t - wStart) / period);
        pSum[pi] = (pSum[pi] as number) + c - t;
        pCount[pi] = (pCount[pi] as number) + 1;
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
  let saved = 0;
  let linkFlits = 0;
  for (const comp of Object.values(mesh.counters().components)) {
    saved += comp.counts['multicastFlitsSaved'] ?? 0;
    linkFlits += comp.counts['linkFlits'] ?? 0;
  }
  return {
    rate: o.rate,
    offered: ((measured + refused) * flits) / (k * nodes * o.measure),
    accepted: (ejectedInWindow * flits) / (k * nodes * o.measure),
    latencyMean: latency.mean(),
    latencyP50: p50 as number,
    latencyP90: p90 as number,
    latencyP99: p99 as number,
    networkLatencyMean: d === 0 ? NaN : netLatencySum / d,
    hopsMean: d === 0 ? NaN : hopsSum / d,
    measured,
    refused,
    maxQueued,
    delivered: d,
    unstable: outstanding > 0,
    cycles: kernel.now,
    events: kernel.eventsExecuted,
    flitsDelivered,
    multicastFlitsSaved: saved,
    linkFlits,
    periodMeans: Array.from(pSum, (v, i) => ((pCount[i] as number) > 0 ? v / (pCount[i] as number) : NaN)),
    samples: latency,
    zeroLoad: (o.noc.injectionDelay ?? 1) + mesh.zeroLoadLatency(meanHops(o), flits),
  };
}
