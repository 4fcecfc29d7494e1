/**
 * Expected NoC and I/O counters of a mapped network from spike counts, without
 * simulating the mesh. Unicast XY routing: a packet from router s to router d crosses
 * H = |xs - xd| + |ys - yd| links and H + 1 routers, so (as src/chip/noc/single-lane-path.ts counts)
 *   bufferWrites = bufferReads = crossbarTraversals += H + 1,  linkFlits += H,
 *   linkBits += H * packetBits,  packetsEjected += 1.
 * Packets: a neuron of source layer s sends one packet per destination core of s
 * (mapping fan-out) each time it sends; its spikes are spread over the pieces of s in
 * proportion to their sizes. Inputs stream from the I/O router (one packet per set input
 * bit per destination core: axon registers reset to 0); readout: the packets of each
 * output piece (readout-estimate.ts) from its core to the I/O router. Router activeCycles is estimated as router visits x
 * routerDelay (no overlap of flits: an upper bound).
 *
 * Split layers (docs/mapping.md): a destination core reads only the range [lo, hi) of a
 * source layer, so a piece sends to it only its neurons in that range; every step each
 * remote segment sends rows x parts partial-sum packets of F flits to its home (with
 * mapping.partialSums "on-change": the packets psum-activity.ts counted), and every
 * learning phase each home row one post-spike packet of F' flits to each remote segment
 * core (each flit crosses the mesh as one single-flit packet, as the chip sends it); every
 * packet of a split chip carries one more bit (its kind).
 *
 * Multicast (noc.multicast "tree"): a neuron whose spike goes to k >= 2 cores (those
 * whose range holds it) sends one packet along the XY tree of T links (xyTreeLinks),
 * as src/chip/noc/vc-path.ts counts it: bufferWrites = bufferReads += T + 1,
 * crossbarTraversals += T + k, linkFlits += T x F, linkBits += T x F x flit bits,
 * packetsEjected += k, multicastFlitsSaved += (sum of hops - T) x F (F = flits of a
 * multicast spike packet); the core counts one packet (multicastPackets) and k axon
 * writes. The I/O port sends its input bits the same way from its router (io.flitsIn
 * counts one per packet, io.bitsIn its width). Every other packet of a tree chip carries
 * one more bit (the format).
 */
import type { Mapping } from '../map/mapping';
import { slicePartsOf } from '../map/mapping';
import { multicastSpikeBits, partialSumFlits, spikePacketBits, wordPacketFlits } from '../hw/packet';
import { destinationGroups, xyTreeLinks } from '../map/mapping';
import type { EnergyChip } from './chip-view';
import { nocOf } from './chip-view';

/** Expected counts of the NoC, the I/O port and the cores' packet counters. */
export interface NocCounts {
  router: Record<string, number>;
  io: Record<string, number>;
  /** Core counters the mapping determines: packetsInjected, axonWrites, and the partial-sum and post-spike counters of split layers. */
  core: Record<'packetsInjected' | 'axonWrites' | 'multicastPackets' | 'partialSumPackets' | 'partialSumFlits' | 'partialSumAdds' | 'postSpikePackets' | 'postSpikeFlits' | 'postSpikeWrites', number>;
  /** Largest hop count of any packet (for latency). */
  maxHops: number;
}

/** What was sent: per layer 0..L the number of neuron sends (layer 0: set input bits), and readout packets per output piece. */
export interface SendCounts {
  sends: number[];
  /** Per piece of the output layer (m.layerPieces[L] order): readout packets. */
  readoutPerPiece: number[];
  /** Network steps run (each sends the partial sums of split layers); default 0. */
  steps?: number;
  /** Learning phases run (each preceded by a post-spike pass on split layers); default 0. */
  learningPhases?: number;
  /** mapping.partialSums "on-change": packets each remote segment sent over the steps (psum-activity.ts remoteSlicesOf order); absent: every step. */
  partialSumSends?: readonly number[];
}

/** Flits per partial-sum packet and per post-spike packet of mapping `m` on `chip`, and the flit width. */
export function wordFlitsOf(m: Mapping, chip: EnergyChip): { partialSum: number; postSpikes: number; flitBits: number } {
  const k = chip.params.core;
  const tree = treeOf(chip);
  const fw = nocOf(chip.params).flitWidth ?? 0;
  // Links pay a flit's width: noc.flitWidth, else the unicast spike packet's.
  const flitBits = fw > 0 ? fw : spikePacketBits(m.width, m.height, k.axons, m.split, tree);
  if (!m.split) return { partialSum: 0, postSpikes: 0, flitBits };
  return {
    partialSum: partialSumFlits(m.width, m.height, k.axons, k.neurons, m.partialSumBits, tree),
    postSpikes: wordPacketFlits(m.width, m.height, k.axons, k.neurons, chip.postSpikeBits, tree),
    flitBits,
  };
}

/** True when the chip sends multicast spike packets (noc.multicast "tree"). */
function treeOf(chip: EnergyChip): boolean {
  return (nocOf(chip.params).multicast ?? 'unicast') === 'tree';
}

function hops(m: Mapping, a: number, b: number): number {
  return Math.abs((a % m.width) - (b % m.width)) + Math.abs(Math.floor(a / m.width) - Math.floor(b / m.width));
}

/** Expected NoC/I-O counters for `sends` on mapping `m`. */
export function nocCounts(m: Mapping, chip: EnergyChip, s: SendCounts): NocCounts {
  const word = wordFlitsOf(m, chip);
  const bits = word.flitBits;
  const routerDelay = nocOf(chip.params).routerDelay;
  const io = chip.params.io.y * m.width + chip.params.io.x;
  let packets = 0;
  let visits = 0;
  let traversals = 0;
  let links = 0;
  let linkBits = 0;
  let maxHops = 0;
  let coreInjected = 0;
  let axonWrites = 0;
  let flitsIn = 0;
  let multicast = 0;
  let saved = 0;
  let bitsIn = 0;
  const add = (n: number, h: number): void => {
    packets += n;
    visits += n * (h + 1);
    traversals += n * (h + 1);
    links += n * h;
    linkBits += n * h * bits;
    if (n > 0 && h > maxHops) maxHops = h;
  };
  // A multicast spike packet: one flit per flitWidth bits (one flit when 0).
  const tree = treeOf(chip);
  const fw = nocOf(chip.params).flitWidth ?? 0;
  const mcBits = multicastSpikeBits(m.width, m.height, chip.params.core.neurons, chip.params.core.axons);
  const mcFlits = fw > 0 ? Math.ceil(mcBits / fw) : 1;
  const mcFlitBits = fw > 0 ? fw : mcBits;
  const addTree = (n: number, src: number, dsts: readonly number[]): void => {
    const T = xyTreeLinks(src, dsts, m.width);
    let sum = 0;
    for (const d of dsts) {
      const h = hops(m, src, d);
      sum += h;
      if (n > 0 && h > maxHops) maxHops = h;
    }
    packets += n * dsts.length;
    visits += n * (T + 1);
    traversals += n * (T + dsts.length);
    links += n * T * mcFlits;
    linkBits += n * T * mcFlits * mcFlitBits;
    saved += n * (sum - T) * mcFlits;
  };
  const L = m.layers.length - 1;
  for (let layer = 0; layer <= L; layer++) {
    const sent = s.sends[layer] ?? 0;
    const f = m.fanout[layer]!;
    const n = m.layers[layer]!;
    if (layer === 0) {
      if (tree) {
        // The I/O port: one multicast packet per sent bit with two or more destination cores.
        for (const g of destinationGroups(f, 0, n)) {
          const share = (sent * g.count) / n;
          axonWrites += share * g.dsts.length;
          if (g.dsts.length >= 2) {
            addTree(share, io, g.dsts);
            flitsIn += share;
            bitsIn += share * mcBits;
          } else if (g.dsts.length === 1) {
            add(share, hops(m, io, g.dsts[0]!));
            flitsIn += share;
            bitsIn += share * bits;
          }
        }
        continue;
      }
      f.cores.forEach((d, k) => {
        const share = (sent * (f.hi[k]! - f.lo[k]!)) / n;
        add(share, hops(m, io, d));
        flitsIn += share;
        bitsIn += share * bits;
        axonWrites += share;
      });
      continue;
    }
    for (const p of m.layerPieces[layer]!) {
      if (tree) {
        // Neurons of the piece grouped by destination set (the cores whose range holds them).
        for (const g of destinationGroups(f, p.first, p.first + p.count)) {
          const share = (sent * g.count) / n;
          axonWrites += share * g.dsts.length;
          coreInjected += g.dsts.length >= 2 ? share : share * g.dsts.length;
          if (g.dsts.length >= 2) {
            addTree(share, p.core, g.dsts);
            multicast += share;
          } else if (g.dsts.length === 1) add(share, hops(m, p.core, g.dsts[0]!));
        }
        continue;
      }
      f.cores.forEach((d, k) => {
        const w = Math.min(f.hi[k]!, p.first + p.count) - Math.max(f.lo[k]!, p.first);
        if (w <= 0) return;
        const share = (sent * w) / n;
        add(share, hops(m, p.core, d));
        coreInjected += share;
        axonWrites += share;
      });
    }
  }
  // Split layers: partial sums every step (on-change: those counted), post-synaptic spikes every learning phase.
  // The home adds every remote row part's sum every step under both policies.
  let psumPackets = 0;
  let psumAdds = 0;
  let postPackets = 0;
  let remote = 0;
  for (const c of m.cores) {
    for (const q of c.slices) {
      if (q.core === q.home) continue;
      const perStep = q.count * slicePartsOf(q.colStart, q.colEnd, m.layers[q.layer - 1]!);
      const sent = s.partialSumSends !== undefined ? s.partialSumSends[remote]! : perStep * (s.steps ?? 0);
      remote++;
      psumPackets += sent;
      psumAdds += perStep * (s.steps ?? 0);
      add(sent * word.partialSum, hops(m, q.core, q.home));
      postPackets += q.count * (s.learningPhases ?? 0);
      add(q.count * (s.learningPhases ?? 0) * word.postSpikes, hops(m, q.home, q.core));
    }
  }
  // Readout: each output piece's packets from its core to the I/O router.
  let flitsOut = 0;
  m.layerPieces[L]!.forEach((p, i) => {
    const n = s.readoutPerPiece[i] ?? 0;
    add(n, hops(m, p.core, io));
    coreInjected += n;
    flitsOut += n;
  });
  return {
    router: {
      bufferWrites: visits,
      bufferReads: visits,
      crossbarTraversals: traversals,
      arbitrationConflicts: 0,
      creditStalls: 0,
      linkFlits: links,
      linkBits,
      packetsEjected: packets,
      activeCycles: visits * routerDelay,
      multicastFlitsSaved: saved,
    },
    io: { flitsIn, flitsOut, bitsIn, bitsOut: flitsOut * bits },
    core: {
      packetsInjected: coreInjected,
      axonWrites,
      multicastPackets: multicast,
      partialSumPackets: psumPackets,
      partialSumFlits: psumPackets * word.partialSum,
      partialSumAdds: psumAdds,
      postSpikePackets: postPackets,
      postSpikeFlits: postPackets * word.postSpikes,
      postSpikeWrites: postPackets,
    },
    maxHops,
  };
}
