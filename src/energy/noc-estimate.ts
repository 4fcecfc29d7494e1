/**
 * Expected NoC and I/O counters of a mapped network from spike counts, without
 * simulating the mesh. Unicast XY routing: a packet from router s to router d crosses
 * H = |xs - xd| + |ys - yd| links and H + 1 routers, so (as src/chip/noc/mesh.ts counts)
 *   bufferWrites = bufferReads = crossbarTraversals += H + 1,  linkFlits += H,
 *   linkBits += H * packetBits,  packetsEjected += 1.
 * Packets: a neuron of source layer s sends one packet per destination core of s
 * (mapping fan-out) each time it sends; its spikes are spread over the pieces of s in
 * proportion to their sizes. Inputs stream from the I/O router (one packet per set input
 * bit per destination core: axon registers reset to 0); readout: the packets of each
 * output piece (readout-estimate.ts) from its core to the I/O router. Router activeCycles is estimated as router visits x
 * routerDelay (no overlap of flits: an upper bound).
 */
import type { Mapping } from '../map/mapping';
import type { EnergyChip } from './chip-view';
import { nocOf } from './chip-view';

/** Expected counts of the NoC, the I/O port and the cores' packet counters. */
export interface NocCounts {
  router: Record<string, number>;
  io: Record<string, number>;
  /** Core counters the mapping determines: packetsInjected, axonWrites. */
  core: { packetsInjected: number; axonWrites: number };
  /** Largest hop count of any packet (for latency). */
  maxHops: number;
}

/** What was sent: per layer 0..L the number of neuron sends (layer 0: set input bits), and readout packets per output piece. */
export interface SendCounts {
  sends: number[];
  /** Per piece of the output layer (m.layerPieces[L] order): readout packets. */
  readoutPerPiece: number[];
}

function hops(m: Mapping, a: number, b: number): number {
  return Math.abs((a % m.width) - (b % m.width)) + Math.abs(Math.floor(a / m.width) - Math.floor(b / m.width));
}

/** Expected NoC/I-O counters for `sends` on mapping `m`. */
export function nocCounts(m: Mapping, chip: EnergyChip, s: SendCounts): NocCounts {
  const bits = chip.packetBits;
  const routerDelay = nocOf(chip.params).routerDelay;
  const io = chip.params.io.y * m.width + chip.params.io.x;
  let packets = 0;
  let visits = 0;
  let links = 0;
  let maxHops = 0;
  let coreInjected = 0;
  let axonWrites = 0;
  let flitsIn = 0;
  const add = (n: number, h: number): void => {
    packets += n;
    visits += n * (h + 1);
    links += n * h;
    if (n > 0 && h > maxHops) maxHops = h;
  };
  const L = m.layers.length - 1;
  for (let layer = 0; layer <= L; layer++) {
    const sent = s.sends[layer] ?? 0;
    const dests = m.fanout[layer]!.cores;
    if (layer === 0) {
      for (const d of dests) add(sent, hops(m, io, d));
      flitsIn += sent * dests.length;
      axonWrites += sent * dests.length;
      continue;
    }
    for (const p of m.layerPieces[layer]!) {
      const share = (sent * p.count) / m.layers[layer]!;
      for (const d of dests) add(share, hops(m, p.core, d));
      coreInjected += share * dests.length;
      axonWrites += share * dests.length;
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
      crossbarTraversals: visits,
      arbitrationConflicts: 0,
      creditStalls: 0,
      linkFlits: links,
      linkBits: links * bits,
      packetsEjected: packets,
      activeCycles: visits * routerDelay,
    },
    io: { flitsIn, flitsOut, bitsIn: flitsIn * bits, bitsOut: flitsOut * bits },
    core: { packetsInjected: coreInjected, axonWrites },
    maxHops,
  };
}
